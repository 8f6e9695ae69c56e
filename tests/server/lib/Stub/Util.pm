# Stub::Util - shared machinery of the Internal, Callmon, LS_Conference and
# Queues services of telinta-soap-server.pl: method installation, input
# validation with PortaBilling-style faults, response building, exact decimal
# arithmetic, SQL-LIKE matching and a deterministic clock.
#
# Nothing here is ever dispatched: SOAP methods are installed into the
# Porta::SOAP::* / UM::SOAP::* packages by install(), one sub per operation,
# so that those packages hold exactly the operations and nothing else.
package Stub::Util;

use strict;
use warnings;
use feature 'fc';

use Scalar::Util qw(blessed reftype);
use Time::Local qw(timegm);
use JSON::PP;

# The call being served: { service, method, login }. Set by the wrappers that
# install() creates, read by the fault helpers.
our $CTX;

# service -> sub that loads its data file, run at the service's first call
# (JSON::PP is slow: parsing every file at startup would double the start-up
# time of every test server, most of which only see Session and DIDAPI).
our %PENDING_LOAD;

sub load_on_first_call {
    my ($service, $path, $loader) = @_;
    die "cannot read data file $path\n" unless -r $path;
    $PENDING_LOAD{$service} = sub { $loader->($path) };
}

# --- data --------------------------------------------------------------------

sub load_json {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "cannot open data file $path: $!\n";
    my $json = do { local $/; <$fh> };
    close $fh;
    # Character strings, so that SOAP::Lite base64s non-ASCII text as it does
    # for DIDAPI's cities.
    my $data = eval { JSON::PP->new->utf8->decode($json) };
    die "data file $path: $@" unless $data;
    return $data;
}

# --- dispatch ----------------------------------------------------------------

# install('Porta::SOAP::Internal', 'Internal', { get_i_env => \&handler, ... })
# Every installed method checks auth_info exactly as DIDAPI does (same faults),
# then calls handler($request_hash).
sub install {
    my ($package, $service, $handlers) = @_;
    no strict 'refs';
    @{"${package}::ISA"} = ('SOAP::Server::Parameters');
    for my $method (sort keys %$handlers) {
        my $handler = $handlers->{$method};
        *{"${package}::$method"} = sub {
            my ($class, @params) = @_;
            my $som = pop @params;    # the envelope (SOAP::SOM)
            Stub::check_auth($som);
            if (my $load = $PENDING_LOAD{$service}) {
                $load->();    # dies (a soap:Server fault) on a broken file, every call
                delete $PENDING_LOAD{$service};
            }
            local $CTX = { service => $service, method => $method, login => auth_login($som) };
            return $handler->(Stub::request_struct(@params));
        };
    }
}

# The login behind the call's auth_info: the session's, or the header's own.
sub auth_login {
    my ($som) = @_;
    my $auth = Stub::auth_info($som);
    if (defined $auth->{session_id} && length $auth->{session_id}) {
        my $s = $Stub::SESSION{ $auth->{session_id} };
        return $s ? $s->{login} : undef;
    }
    return $auth->{login};
}

# --- faults ------------------------------------------------------------------
# faultcode Server.<Service>.<method>.<reason> (SOAP::Lite adds "soap:").

sub fail {
    my ($reason, $string) = @_;
    Stub::fault("Server.$CTX->{service}.$CTX->{method}.$reason", $string);
}

sub missing { my ($m) = @_; fail("missing_$m", "Missing required parameter '$m'") }

sub bad {
    my ($m, $v, $what) = @_;
    $v = '' unless defined $v;
    $v = '(structure)' if ref $v;
    fail("bad_$m", "Invalid value of '$m': '$v' ($what)");
}

sub not_found { my ($what) = @_; fail('not_found', "$what not found") }

# --- input -------------------------------------------------------------------
# Absent, xsi:nil and empty values are "not given" everywhere.

sub given {
    my ($req, $m) = @_;
    my $v = $req->{$m};
    return defined $v && (ref $v || length $v) ? 1 : 0;
}

sub opt_int {
    my ($req, $m, %o) = @_;
    return undef unless given($req, $m);
    my $v = $req->{$m};
    bad($m, $v, 'an integer') if ref $v || $v !~ /^\s*[-+]?\d{1,15}\s*$/;
    my $n = 0 + $v;
    bad($m, $v, "min $o{min}") if defined $o{min} && $n < $o{min};
    bad($m, $v, "max $o{max}") if defined $o{max} && $n > $o{max};
    return $n;
}

sub req_int {
    my ($req, $m, %o) = @_;
    missing($m) unless given($req, $m);
    return opt_int($req, $m, %o);
}

sub opt_str {
    my ($req, $m) = @_;
    return undef unless given($req, $m);
    my $v = $req->{$m};
    bad($m, $v, 'a string') if ref $v;
    return "$v";
}

sub req_str {
    my ($req, $m) = @_;
    missing($m) unless given($req, $m);
    return opt_str($req, $m);
}

# Exact (case-sensitive) member of @$values; %o{ci} accepts any case and
# returns the listed spelling.
sub opt_enum {
    my ($req, $m, $values, %o) = @_;
    my $v = opt_str($req, $m);
    return undef unless defined $v;
    for my $ok (@$values) {
        return $ok if $v eq $ok || ($o{ci} && fc($v) eq fc($ok));
    }
    bad($m, $v, 'one of ' . join('|', @$values));
}

sub req_enum {
    my ($req, $m, $values, %o) = @_;
    missing($m) unless given($req, $m);
    return opt_enum($req, $m, $values, %o);
}

sub opt_decimal {
    my ($req, $m) = @_;
    my $v = opt_str($req, $m);
    return undef unless defined $v;
    my $t = $v;
    $t =~ s/^\s+|\s+$//g;
    bad($m, $v, 'a decimal number') unless $t =~ /^[-+]?(?:\d+\.?\d*|\.\d+)$/;
    return $t;
}

# Date-times in: 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS', 'YYYY-MM-DDTHH:MM:SS',
# optionally with fractions and 'Z' / '+hh:mm' / '+hhmm' (converted to UTC).
# Returns 'YYYY-MM-DD HH:MM:SS' (UTC), or faults bad_<member>.
sub opt_datetime {
    my ($req, $m) = @_;
    my $v = opt_str($req, $m);
    return undef unless defined $v;
    my $e = parse_datetime($v);
    bad($m, $v, "a date and time 'YYYY-MM-DD HH:MM:SS'") unless defined $e;
    return fmt_epoch($e);
}

sub parse_datetime {
    my ($s) = @_;
    $s =~ s/^\s+|\s+$//g;
    my ($y, $mo, $d, $h, $mi, $se, $zone) = $s =~ m{^
        (\d{4})-(\d\d)-(\d\d)
        (?:[ T](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?
        (Z|[-+]\d\d(?::?\d\d)?)?
    $}x or return undef;
    my $t = eval { timegm($se // 0, $mi // 0, $h // 0, $d, $mo - 1, $y) };
    return undef unless defined $t;
    if (defined $zone && $zone ne 'Z') {
        my ($sign, $zh, $zm) = $zone =~ /^([-+])(\d\d):?(\d\d)?$/;
        my $off = ($zh * 60 + ($zm // 0)) * 60;
        $t += $sign eq '+' ? -$off : $off;
    }
    return $t;
}

sub fmt_epoch {
    my ($t) = @_;
    my @g = gmtime $t;
    return sprintf '%04d-%02d-%02d %02d:%02d:%02d', $g[5] + 1900, $g[4] + 1, @g[3, 2, 1, 0];
}

sub looks_like_email { my ($v) = @_; return defined $v && $v =~ /^[^@\s]+@[^@\s]+\.[^@\s]+$/ }

# --- output ------------------------------------------------------------------
# A spec is a list of member names in WSDL order; 'name:s' means explicitly
# typed xsd:string, 'name:i' explicitly xsd:int, plain 'name' is left to
# SOAP::Lite's autotyping. A record hash gives the values: a key that is
# absent omits the member, undef (JSON null) writes xsi:nil="true", and a
# SOAP::Data value (nested struct or array) is written as it is.

sub member {
    my ($name, $kind, $value) = @_;
    return $value->name($name) if blessed $value && $value->isa('SOAP::Data');
    my $d = SOAP::Data->name($name => $value);
    $d->type('string') if $kind eq 's';
    $d->type('int')    if $kind eq 'i';
    return $d;
}

sub members {
    my ($spec, $rec) = @_;
    my @m;
    for my $s (@$spec) {
        my ($name, $kind) = split /:/, $s;
        next unless exists $rec->{$name};
        push @m, member($name, $kind // 'a', $rec->{$name});
    }
    return @m;
}

# A struct of type ns:$type (named $name, or unnamed for an array item).
sub struct {
    my ($name, $type, $spec, $rec) = @_;
    my @m = members($spec, $rec);
    my $d = SOAP::Data->type("ns:$type")->value(@m ? \SOAP::Data->value(@m) : {});
    return defined $name ? $d->name($name) : $d;
}

# A soapenc:Array of ns:$type items, soapenc:arrayType="ns:$type[N]"; empty:
# xsd:anyType[0] (SOAP::Lite cannot know the item type of an empty array).
sub array {
    my ($name, $type, $spec, @recs) = @_;
    return SOAP::Data->name($name => [ map { struct(undef, $type, $spec, $_) } @recs ]);
}

# An unnamed soapenc:Array (an item of an outer array).
sub array_value {
    my ($type, $spec, @recs) = @_;
    return SOAP::Data->value([ map { struct(undef, $type, $spec, $_) } @recs ]);
}

# A response part with no members: <X xsi:type="ns:X"/>.
sub empty_struct {
    my ($type) = @_;
    return SOAP::Data->name($type => {})->type("ns:$type");
}

# --- exact decimals ----------------------------------------------------------
# Decimal strings as (BigInt unscaled, scale). Results follow rust_decimal's
# scale rules: add/sub keep the larger scale, mul adds the scales.

sub dec_parse {
    my ($s) = @_;
    require Math::BigInt;
    die "not a decimal: $s\n" unless defined $s && "$s" =~ /^\s*([-+]?)(\d*)(?:\.(\d*))?\s*$/;
    my ($sign, $int, $frac) = ($1, $2, $3 // '');
    die "not a decimal: $s\n" unless length($int) + length($frac);
    my $digits = "$int$frac";
    $digits =~ s/^0+(?=\d)//;
    $digits = '0' if $digits eq '';
    return (Math::BigInt->new(($sign eq '-' ? '-' : '') . $digits), length $frac);
}

sub dec_fmt {
    my ($n, $scale) = @_;
    my $neg = $n->is_neg;
    my $abs = $n->copy->babs->bstr;
    if ($scale > 0) {
        $abs = ('0' x ($scale + 1 - length $abs)) . $abs if length $abs <= $scale;
        substr($abs, -$scale, 0) = '.';
    }
    return ($neg ? '-' : '') . $abs;
}

sub _align {
    my ($a, $b) = @_;
    my ($na, $sa) = dec_parse($a);
    my ($nb, $sb) = dec_parse($b);
    my $s = $sa > $sb ? $sa : $sb;
    $na->bmul(Math::BigInt->new(10)->bpow($s - $sa)) if $s > $sa;
    $nb->bmul(Math::BigInt->new(10)->bpow($s - $sb)) if $s > $sb;
    return ($na, $nb, $s);
}

sub dec_add { my ($na, $nb, $s) = _align(@_); return dec_fmt($na->badd($nb), $s) }
sub dec_sub { my ($na, $nb, $s) = _align(@_); return dec_fmt($na->bsub($nb), $s) }
sub dec_cmp { my ($na, $nb) = _align(@_); return $na->bcmp($nb) }

sub dec_mul {
    my ($a, $b) = @_;
    my ($na, $sa) = dec_parse($a);
    my ($nb, $sb) = dec_parse($b);
    return dec_fmt($na->bmul($nb), $sa + $sb);
}

sub dec_sum {
    my (@v) = @_;
    my $acc = '0';
    $acc = dec_add($acc, $_) for @v;
    return $acc;
}

# --- matching ----------------------------------------------------------------

# tmpl semantics of get_rates_list (and name filters): a pattern with '%' or
# '_' is an SQL LIKE pattern ('%' any run, '_' one character) matched against
# the whole value; any other text matches as a substring. Case-insensitive.
sub like_match {
    my ($pattern, $value) = @_;
    return 0 unless defined $value;
    if ($pattern =~ /[%_]/) {
        my $re = join '', map { $_ eq '%' ? '.*' : $_ eq '_' ? '.' : quotemeta $_ }
            grep { length } split /([%_])/, $pattern;
        return $value =~ /^$re\z/is ? 1 : 0;
    }
    return index(fc($value), fc($pattern)) >= 0 ? 1 : 0;
}

sub ipv4_to_int {
    my ($ip) = @_;
    return undef unless defined $ip && $ip =~ /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
    return undef if grep { $_ > 255 } $1, $2, $3, $4;
    return (($1 * 256 + $2) * 256 + $3) * 256 + $4;
}

sub ipv4_in_cidr {
    my ($ip, $cidr) = @_;
    my ($net, $bits) = split m{/}, $cidr;
    $bits //= 32;
    my ($i, $n) = (ipv4_to_int($ip), ipv4_to_int($net));
    return 0 unless defined $i && defined $n;
    my $mask = $bits == 0 ? 0 : (0xFFFFFFFF << (32 - $bits)) & 0xFFFFFFFF;
    return (($i & $mask) == ($n & $mask)) ? 1 : 0;
}

# --- clock -------------------------------------------------------------------
# A deterministic clock per service: starts at the data file's clock_start and
# advances by one second each time a time is stamped.

package Stub::Util::Clock;

sub new {
    my ($class, $start) = @_;
    my $t = Stub::Util::parse_datetime($start);
    die "bad clock_start '$start'\n" unless defined $t;
    return bless { t => $t }, $class;
}

sub tick {
    my ($self) = @_;
    return Stub::Util::fmt_epoch($self->{t}++);
}

1;
