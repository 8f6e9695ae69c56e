#!/usr/bin/perl
# telinta-soap-server.pl - a stand-in for Telinta's PortaBilling SOAP API, built
# on genuine SOAP::Lite server machinery, for the Rust end-to-end tests.
#
# It serves six rpc/encoded SOAP 1.1 services on one HTTP port (any path):
#   https://<anyhost>/Porta/SOAP/Session        -> package Porta::SOAP::Session
#   https://<anyhost>/Porta/SOAP/DIDAPI         -> package Porta::SOAP::DIDAPI
#   https://<anyhost>/Porta/SOAP/Internal       -> package Porta::SOAP::Internal
#   https://<anyhost>/Porta/SOAP/Callmon        -> package Porta::SOAP::Callmon
#   https://<anyhost>/Porta/SOAP/LS_Conference  -> package Porta::SOAP::LS_Conference
#   https://<anyhost>/UM/SOAP/Queues            -> package UM::SOAP::Queues
# following the <Service>AdminService.wsdl files of wsdl-snapshots/. Session
# and DIDAPI are in this file; the other four are in lib/ (helpers in
# lib/Stub/Util.pm), with their data in data/<service>.json.
#
# Usage:
#   perl tests/server/telinta-soap-server.pl [--host 127.0.0.1] [--port 0]
#        [--data PATH] [--data-dir DIR] [--login L] [--password P] [--token T]
#        [--ignore-stdin] [--close] [--idle-timeout 30] [--max-connections 100]
#        [--verbose]
#
# Once listening it prints exactly one line "LISTENING <port>" on stdout.
# It exits on SIGTERM/SIGINT and when its stdin reaches EOF (the parent test
# process died or closed the pipe), unless --ignore-stdin is given.
#
# HTTP/1.1 with persistent connections (keep-alive), as PortaBilling's Apache:
# single process, one select loop over every connection. --close (or the
# environment variable TELINTA_SOAP_CLOSE=1) answers every request with
# `Connection: close` and closes, one request per connection. Kept-alive
# connections idle for --idle-timeout seconds are closed; at most
# --max-connections are open at once. GET /_telinta-soap-server/stats returns
# the connection counters as JSON (for the tests).
#
# See README.md in this directory for the data file, credentials and faults.

use strict;
use warnings;

use File::Basename qw(dirname);
use File::Spec;
use Getopt::Long qw(GetOptions);
use IO::Handle;
use IO::Select;
use JSON::PP;
use List::Util ();
use Time::HiRes ();
use Socket qw(IPPROTO_TCP TCP_NODELAY SHUT_WR);

use HTTP::Daemon;
use HTTP::Date ();
use HTTP::Response;
use HTTP::Status ();
use SOAP::Lite;
use SOAP::Transport::HTTP;

# ----------------------------------------------------------------------------
# Shared state and helpers. These live in their own package on purpose: every
# sub in Porta::SOAP::* is callable as a SOAP method, helpers must not be.
# ----------------------------------------------------------------------------
package Stub;

use Scalar::Util qw(reftype);

use constant NS_PORTA => 'http://schemas.portaone.com/soap';
use constant USER_ID  => 1042;

our %CRED = (
    login    => 'api-user',
    password => 's3cr3t-pass',
    token    => '7f9d2c1e-3b4a-4c5d-9e8f-0a1b2c3d4e5f',
);
our $DATA;          # decoded didapi.json
our %NUMBER;        # number string -> its record in $DATA->{numbers}
our %SESSION;       # session_id -> { login => ... }
our %ORDERED;       # number string -> 1 while ordered
our $VERBOSE = 0;

sub log_msg { print STDERR "[telinta-soap-server] @_\n" if $VERBOSE }

sub load_data {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "cannot open data file $path: $!\n";
    my $json = do { local $/; <$fh> };
    close $fh;
    # ->utf8: the file is UTF-8 bytes; we want character strings, so that
    # SOAP::Lite writes "Montréal" correctly (and base64s its UTF-8 bytes).
    $DATA = JSON::PP->new->utf8->decode($json);
    for my $key (qw(countries states ratecenters numbers)) {
        die "data file $path: missing '$key'\n" unless $DATA->{$key};
    }
    for my $n (@{ $DATA->{numbers} }) {
        die "data file $path: duplicate number $n->{number}\n" if $NUMBER{ $n->{number} };
        $NUMBER{ $n->{number} } = $n;
    }
}

# SOAP::Lite blesses typed incoming structs into a package named after their
# xsi:type (e.g. 'LoginRequest'), so ref() is useless: test with reftype.
sub as_hash {
    my ($v) = @_;
    return (defined $v && ref $v && reftype($v) eq 'HASH') ? $v : {};
}

# The request part (first method parameter) as a hash; empty if absent.
sub request_struct {
    my (@params) = @_;
    return as_hash($params[0]);
}

sub fault {
    my ($code, $string) = @_;
    log_msg("fault $code: $string");
    die SOAP::Fault->faultcode($code)->faultstring($string);
}

sub new_session_id {
    my $id;
    do { $id = join '', map { sprintf '%08x', int rand 2**32 } 1 .. 4 }
        while exists $SESSION{$id};
    return $id;
}

sub credentials_ok {
    my ($h) = @_;
    return 0 unless defined $h->{login} && $h->{login} eq $CRED{login};
    return 1 if defined $h->{password} && $h->{password} eq $CRED{password};
    return 1 if defined $h->{token}    && $h->{token}    eq $CRED{token};
    return 0;
}

# The auth_info SOAP header, found by local name whatever its namespace or
# prefix. Returns a hash ({} if the header is missing or not a struct).
sub auth_info {
    my ($som) = @_;
    return {} unless $som && ref $som;
    my @headers = $som->dataof('/Envelope/Header/[>0]');
    for my $i (0 .. $#headers) {
        next unless ($headers[$i]->name // '') eq 'auth_info';
        # dataof() gives structs as nested SOAP::Data; valueof() gives the hash.
        return as_hash(scalar $som->valueof('/Envelope/Header/[' . ($i + 1) . ']'));
    }
    return {};
}

# Every DIDAPI method starts with this (Telinta's own spelling of the fault).
sub check_auth {
    my ($som) = @_;
    my $auth = auth_info($som);
    if (defined $auth->{session_id} && length $auth->{session_id}) {
        return if $SESSION{ $auth->{session_id} };
    }
    elsif (credentials_ok($auth)) {
        return;
    }
    fault('Server.Session.check_auth.auth_failed', 'Authentification failed');
}

# Session/ping and Session/logout: the session must be alive.
sub live_session {
    my ($req) = @_;
    my $id = $req->{session_id};
    fault('Server.Session.alive_check.session_expired', 'Session is not valid or expired')
        unless defined $id && $SESSION{$id};
    return $id;
}

# Common prologue of the DIDAPI methods: check auth_info, then return the
# request struct as a hash. @params ends with the envelope.
sub didapi_request {
    my (@params) = @_;
    my $som = pop @params;
    check_auth($som);
    return request_struct(@params);
}

# --- response building -------------------------------------------------------
# Members typed xsd:string explicitly (as Telinta's WSDL says).
sub str { SOAP::Data->name($_[0] => $_[1])->type('string') }

# Members left to SOAP::Lite's autotyping ON PURPOSE: numbers come out as
# xsd:long, fees as xsd:int/xsd:float, a non-ASCII city as xsd:base64Binary,
# undef as xsi:nil="true". That is what a real SOAP::Lite server does.
sub auto { SOAP::Data->name($_[0] => $_[1]) }

# A struct of type ns:$type. Members stay in the given (WSDL) order.
sub struct {
    my ($name, $type, @members) = @_;
    my $d = SOAP::Data->type("ns:$type")->value(\SOAP::Data->value(@members));
    return defined $name ? $d->name($name) : $d;
}

# A soapenc:Array: SOAP::Lite derives soapenc:arrayType="ns:$type[N]" from
# the (common) item type and names the items <item>. An empty array comes out
# as xsd:anyType[0], exactly as SOAP::Lite does it.
sub array {
    my ($name, $type, @members_list) = @_;
    return SOAP::Data->name($name => [ map { struct(undef, $type, @$_) } @members_list ]);
}

sub simple_item {    # DIDAPICountry / DIDAPIState
    my ($r) = @_;
    return [ str(package => $r->{package}), str(value => $r->{value}), str(name => $r->{name}) ];
}

sub ratecenter_item {
    my ($r) = @_;
    return [ @{ simple_item($r) }, auto(city_id => $r->{city_id}) ];
}

# DIDAPINumber members; @extra (code / error) go after city_id.
sub number_members {
    my ($n, @extra) = @_;
    return [
        str(package   => $n->{package}),
        auto(number   => $n->{number}),
        str(country   => $n->{country}),
        auto(city     => $n->{city}),
        str(area_code => $n->{area_code}),
        auto(monthly  => $n->{monthly}),
        auto(city_id  => $n->{city_id}),
        @extra,
    ];
}

# ----------------------------------------------------------------------------
# Session service. Methods receive ($class, @params, $envelope) because the
# class inherits SOAP::Server::Parameters.
# ----------------------------------------------------------------------------
package Porta::SOAP::Session;

our @ISA = ('SOAP::Server::Parameters');

sub login {
    my ($class, @params) = @_;
    pop @params;    # the envelope (SOAP::SOM)
    my $req = Stub::request_struct(@params);
    Stub::fault('Server.Session.auth_failed', 'Authentication failed: invalid login or password')
        unless Stub::credentials_ok($req);
    my $id = Stub::new_session_id();
    $Stub::SESSION{$id} = { login => $req->{login} };
    Stub::log_msg("login -> $id");
    return Stub::struct(LoginResponse => 'LoginResponse', Stub::str(session_id => $id));
}

sub ping {
    my ($class, @params) = @_;
    pop @params;
    Stub::live_session(Stub::request_struct(@params));
    return Stub::struct(PingResponse => 'PingResponse',
        SOAP::Data->name(user_id => Stub::USER_ID)->type('int'));
}

sub logout {
    my ($class, @params) = @_;
    pop @params;
    my $id = Stub::live_session(Stub::request_struct(@params));
    delete $Stub::SESSION{$id};
    Stub::log_msg("logout $id");
    # No value: SOAP::Lite writes an empty <logoutResponse ... xsi:nil="true"/>.
    return;
}

# ----------------------------------------------------------------------------
# DID API service.
# ----------------------------------------------------------------------------
package Porta::SOAP::DIDAPI;

our @ISA = ('SOAP::Server::Parameters');

sub get_countries {
    my ($class, @params) = @_;
    Stub::didapi_request(@params);
    return Stub::struct(GetDIDAPICountriesListResponse => 'GetDIDAPICountriesListResponse',
        Stub::array(countries => 'DIDAPICountry',
            map { Stub::simple_item($_) } @{ $Stub::DATA->{countries} }));
}

sub get_states {
    my ($class, @params) = @_;
    my $req = Stub::didapi_request(@params);
    my $country = $req->{country} // '';
    my $states = $Stub::DATA->{states}{$country}
        or Stub::fault('Server.DIDAPI.get_states.not_found', "Unknown country '$country'");
    return Stub::struct(GetDIDAPIStatesListResponse => 'GetDIDAPIStatesListResponse',
        Stub::array(states => 'DIDAPIState', map { Stub::simple_item($_) } @$states));
}

sub get_ratecenters {
    my ($class, @params) = @_;
    my $req = Stub::didapi_request(@params);
    my $key = join '/', $req->{country} // '', $req->{state} // '';
    # Unknown country/state: an empty list, not a fault.
    my $rcs = $Stub::DATA->{ratecenters}{$key} || [];
    return Stub::struct(GetDIDAPIRatecentersListResponse => 'GetDIDAPIRatecentersListResponse',
        Stub::array(ratecenters => 'DIDAPIRatecenter', map { Stub::ratecenter_item($_) } @$rcs));
}

sub get_numbers {
    my ($class, @params) = @_;
    my $req = Stub::didapi_request(@params);
    my @filters = grep { defined $req->{$_} && length $req->{$_} } qw(country state ratecenter);
    my @found;
    NUMBER: for my $n (@{ $Stub::DATA->{numbers} }) {
        next if $Stub::ORDERED{ $n->{number} };
        for my $f (@filters) { next NUMBER if $n->{$f} ne $req->{$f} }
        push @found, $n;
    }
    return Stub::struct(GetDIDAPINumbersListResponse => 'GetDIDAPINumbersListResponse',
        Stub::array(numbers => 'DIDAPINumber',
            map { Stub::number_members($_, Stub::auto(error => undef)) } @found));
}

sub order_number {
    my ($class, @params) = @_;
    my $req = Stub::didapi_request(@params);
    my $number = $req->{number} // '';
    my $n = $Stub::NUMBER{$number};
    Stub::fault('Server.DIDAPI.order_number.not_available', "Number '$number' is not available")
        if !$n || $Stub::ORDERED{$number};
    $Stub::ORDERED{$number} = 1;
    Stub::log_msg("ordered $number");
    return Stub::struct(DIDAPIOrderNumberResponse => 'DIDAPIOrderNumberResponse',
        Stub::struct(result => 'DIDAPINumber', @{ Stub::number_members($n, Stub::auto(code => 0)) }));
}

sub cancel_number {
    my ($class, @params) = @_;
    my $req = Stub::didapi_request(@params);
    my $number = $req->{number} // '';
    Stub::fault('Server.DIDAPI.cancel_number.not_ordered', "Number '$number' is not ordered")
        unless $Stub::ORDERED{$number};
    delete $Stub::ORDERED{$number};
    Stub::log_msg("cancelled $number");
    return Stub::struct(DIDAPICancelNumberResponse => 'DIDAPICancelNumberResponse',
        Stub::struct(result => 'DIDAPINumber',
            @{ Stub::number_members($Stub::NUMBER{$number}, Stub::auto(code => 0)) }));
}
# ----------------------------------------------------------------------------
# HTTP front end.
# ----------------------------------------------------------------------------
package main;

my $HERE = dirname(File::Spec->rel2abs(__FILE__));
my %opt = (
    host            => '127.0.0.1',
    port            => 0,
    data            => File::Spec->catfile($HERE, 'data', 'didapi.json'),
    data_dir        => File::Spec->catdir($HERE, 'data'),
    close           => $ENV{TELINTA_SOAP_CLOSE} ? 1 : 0,
    idle_timeout    => 30,
    max_connections => 100,
);
GetOptions(
    'host=s'            => \$opt{host},
    'port=i'            => \$opt{port},
    'data=s'            => \$opt{data},
    'data-dir=s'        => \$opt{data_dir},
    'login=s'           => \$Stub::CRED{login},
    'password=s'        => \$Stub::CRED{password},
    'token=s'           => \$Stub::CRED{token},
    'ignore-stdin'      => \$opt{ignore_stdin},
    'close!'            => \$opt{close},
    'idle-timeout=f'    => \$opt{idle_timeout},
    'max-connections=i' => \$opt{max_connections},
    'verbose'           => \$Stub::VERBOSE,
) or die "usage: $0 [--host H] [--port N] [--data PATH] [--data-dir DIR] [--login L] "
    . "[--password P] [--token T] [--ignore-stdin] [--close] [--idle-timeout S] "
    . "[--max-connections N] [--verbose]\n";
die "--max-connections must be >= 1\n" if $opt{max_connections} < 1;
die "--idle-timeout must be > 0\n"     if $opt{idle_timeout} <= 0;

Stub::load_data($opt{data});

# The other services. Loaded by absolute path, not through @INC: %INC then has
# no 'Porta/SOAP/Internal.pm' key, so an unknown method of these services gets
# the same SOAP::Lite fault as one of Session or DIDAPI ("Failed to access
# class (...): Can't locate ... in @INC"), and @INC (quoted in that fault)
# stays as it was.
# Their data files must exist now but are parsed at each service's first call.
my %SERVICE_DATA = (
    'Porta/SOAP/Internal.pm'      => [ 'Internal',      'Stub::Internal',      'internal.json' ],
    'Porta/SOAP/Callmon.pm'       => [ 'Callmon',       'Stub::Callmon',       'callmon.json' ],
    'Porta/SOAP/LS_Conference.pm' => [ 'LS_Conference', 'Stub::LS_Conference', 'ls_conference.json' ],
    'UM/SOAP/Queues.pm'           => [ 'Queues',        'Stub::Queues',        'queues.json' ],
);
require File::Spec->catfile($HERE, 'lib', 'Stub', 'Util.pm');
for my $module (sort keys %SERVICE_DATA) {
    my ($service, $impl, $file) = @{ $SERVICE_DATA{$module} };
    require File::Spec->catfile($HERE, 'lib', split m{/}, $module);
    Stub::Util::load_on_first_call($service, File::Spec->catfile($opt{data_dir}, $file), $impl->can('load'));
}

# A client vanishing mid-response must not kill the server.
$SIG{PIPE} = 'IGNORE';
# Plain exit on TERM/INT (Perl's deferred signals interrupt the select below).
$SIG{TERM} = $SIG{INT} = sub { exit 0 };

# HTTP::Daemon is only the listening socket (and its url()): requests are read
# and responses written by the event loop below, so that one process serves
# many persistent connections without ever blocking on one of them.
my $daemon = HTTP::Daemon->new(
    LocalAddr => $opt{host},
    LocalPort => $opt{port},    # 0: the kernel picks a free port
    ReuseAddr => 1,
    Listen    => 128,
) or die "cannot listen on $opt{host}:$opt{port}: $@\n";
$daemon->blocking(0);    # accept() must not block if the client has gone already

# The SOAP side is SOAP::Lite's own HTTP server class, fed one HTTP::Request
# at a time: it checks SOAPAction against uri#method, decodes the envelope,
# dispatches by the method namespace's path (/Porta/SOAP/DIDAPI ->
# Porta::SOAP::DIDAPI), and serializes results and faults.
my $soap = SOAP::Transport::HTTP::Server->new;
$soap->dispatch_to('Porta::SOAP::Session', 'Porta::SOAP::DIDAPI', 'Porta::SOAP::Internal',
    'Porta::SOAP::Callmon', 'Porta::SOAP::LS_Conference', 'UM::SOAP::Queues');
$soap->serializer->register_ns(Stub::NS_PORTA, 'ns');
$soap->myuri($daemon->url);    # becomes the faultactor, as in the samples

STDOUT->autoflush(1);
print "LISTENING ", $daemon->sockport, "\n";

# ----------------------------------------------------------------------------
# The event loop: one select over the listening socket, stdin and every open
# connection. Connections are HTTP/1.1 persistent (keep-alive) unless the
# client says otherwise (`Connection: close`, or HTTP/1.0 without
# `Connection: keep-alive`) or --close / TELINTA_SOAP_CLOSE=1 is given. Reads
# and writes are non-blocking and buffered per connection: an idle, slow or
# half-sent connection never holds up the others. Requests are served one at
# a time, in arrival order, by the single SOAP::Lite dispatcher, so the
# in-memory state is shared by all of them exactly as before.
# ----------------------------------------------------------------------------
use constant {
    CRLF        => "\015\012",
    STALL       => 10,        # s without progress on a half-read request or an unsent response
    LINGER      => 2,         # s to wait for the client's FIN after ours
    MAX_HEADER  => 16 * 1024,
    MAX_BODY    => 64 * 1024 * 1024,
    STATS_PATH  => '/_telinta-soap-server/stats',
};

my %CONN;                                  # fileno -> connection (see accept_connection)
my %STATS = (accepted => 0, requests => 0);
my $NEXT_ID = 0;

sub now { Time::HiRes::time() }

sub accept_connection {
    # At the cap, make room by closing the least recently used idle connection
    # (its client will open a new one: keep-alive is an optimisation, never a
    # promise); if none is idle, leave the new one in the listen backlog.
    if (keys %CONN >= $opt{max_connections}) {
        my ($lru) = sort { $a->{last} <=> $b->{last} } grep { is_idle($_) } values %CONN;
        return unless $lru;
        Stub::log_msg("connection #$lru->{id}: closed to stay within $opt{max_connections} connections");
        begin_close($lru);
        drop($lru) if keys %CONN >= $opt{max_connections};
    }
    my $sock = $daemon->accept or return;
    # Responses go out in one write, but keep Nagle off all the same: a small
    # response must never wait for the client's delayed ACK (~40 ms on Linux).
    setsockopt($sock, IPPROTO_TCP, TCP_NODELAY, 1);
    $sock->blocking(0);
    my $c = {
        sock     => $sock,
        id       => ++$NEXT_ID,
        peer     => $sock->peerport // '?',
        rbuf     => '',
        wbuf     => '',
        state    => 'open',    # 'closing': FIN sent, waiting for the client's
        last     => now(),     # last progress (bytes in or out, or accept)
        requests => 0,
    };
    $CONN{ fileno $sock } = $c;
    $STATS{accepted}++;
    Stub::log_msg("connection #$c->{id} from port $c->{peer}");
}

# Open, nothing half-read, nothing unsent: waiting for the client's next request.
sub is_idle {
    my ($c) = @_;
    return $c->{state} eq 'open' && $c->{rbuf} eq '' && $c->{wbuf} eq '' && !$c->{close_after};
}

sub deadline {
    my ($c) = @_;
    return $c->{last} + LINGER if $c->{state} eq 'closing';
    return $c->{last} + (is_idle($c) ? $opt{idle_timeout} : STALL);
}

sub drop {
    my ($c) = @_;
    delete $CONN{ fileno $c->{sock} };
    close $c->{sock};
    Stub::log_msg("connection #$c->{id} closed after $c->{requests} request(s)");
}

# Close gracefully: send FIN first, then drop whatever the client may still
# send (a stray CRLF, a request pipelined after `Connection: close`) until it
# closes too, because closing a socket with unread input makes Linux send RST,
# which can destroy the response before the client has read it.
sub begin_close {
    my ($c) = @_;
    return if $c->{state} eq 'closing';
    shutdown($c->{sock}, SHUT_WR);
    @$c{qw(state rbuf wbuf last)} = ('closing', '', '', now());
}

sub on_readable {
    my ($c) = @_;
    my $n = sysread($c->{sock}, my $buf, 65536);
    if (!defined $n) {
        return if $!{EAGAIN} || $!{EWOULDBLOCK} || $!{EINTR};
        return drop($c);    # ECONNRESET and the like
    }
    if ($c->{state} eq 'closing') {
        return drop($c) if $n == 0;    # the client's FIN: done
        return;                        # discarded
    }
    if ($n == 0) {
        # The client has sent all it will (it may still read: a half-close).
        $c->{eof} = 1;
        Stub::log_msg("connection #$c->{id}: bad request: connection closed mid-request")
            if $c->{rbuf} =~ /\S/;
        $c->{rbuf} = '' unless $c->{rbuf} =~ /\S/;
    }
    else {
        $c->{rbuf} .= $buf;
        $c->{last} = now();
    }
    serve_buffered($c);
}

sub on_writable {
    my ($c) = @_;
    flush($c);
    serve_buffered($c) if $CONN{ fileno $c->{sock} } && $c->{wbuf} eq '';
}

sub flush {
    my ($c) = @_;
    while (length $c->{wbuf}) {
        my $n = syswrite($c->{sock}, $c->{wbuf});
        if (!defined $n) {
            return if $!{EAGAIN} || $!{EWOULDBLOCK} || $!{EINTR};
            return drop($c);    # EPIPE: the client is gone
        }
        substr($c->{wbuf}, 0, $n, '');
        $c->{last} = now();
    }
    begin_close($c) if $c->{close_after};
}

# Serves every complete request buffered on $c, one after another (pipelining),
# as long as the previous response went out whole.
sub serve_buffered {
    my ($c) = @_;
    while ($c->{state} eq 'open' && $c->{wbuf} eq '' && !$c->{close_after}) {
        my $got = parse_request($c);
        if ($got->{error}) {
            Stub::log_msg("connection #$c->{id}: bad request: $got->{reason}");
            queue_response($c, HTTP::Response->new($got->{error}, undef, undef, $got->{reason}),
                keep => 0, proto => 1.1);
        }
        elsif ($got->{request}) {
            serve_request($c, $got);
        }
        else {
            # Incomplete. A half-closed client will never complete it.
            if ($c->{eof}) { $c->{rbuf} eq '' ? begin_close($c) : drop($c) }
            return;
        }
        flush($c);
        return unless $CONN{ fileno $c->{sock} };
    }
}

sub serve_request {
    my ($c, $got) = @_;
    my $r = $got->{request};
    $STATS{requests}++;
    $c->{requests}++;
    my $response;
    if ($r->method eq 'GET' && $r->uri->path eq STATS_PATH) {
        # For the tests: how many connections were accepted (this one included)
        # and how many requests served, to tell whether a client reused a
        # connection.
        $response = HTTP::Response->new(200, 'OK', [ 'Content-Type' => 'application/json' ],
            JSON::PP->new->canonical->encode({ %STATS, open => scalar keys %CONN }));
    }
    else {
        $soap->request($r);
        $soap->handle;
        $response = $soap->response || HTTP::Response->new(500, 'No response from SOAP handler');
    }
    my $keep = $got->{keep} && !$opt{close} && !$c->{eof};
    queue_response($c, $response, keep => $keep, proto => $got->{proto},
        head => $r->method eq 'HEAD');
}

# The response as one buffer (status line, headers as HTTP::Daemon wrote them,
# body), written by flush().
sub queue_response {
    my ($c, $res, %how) = @_;
    my $code    = $res->code;
    my $content = $res->content // '';
    # Bytes, as printing to a raw socket would send them.
    utf8::downgrade($content, 1) or utf8::encode($content);
    if ($code =~ /^(1\d\d|[23]04)$/) {
        $res->remove_header('Content-Length');
        $content = '';
    }
    else {
        $res->header('Content-Length' => length $content);
    }
    if ($how{keep}) {
        # HTTP/1.1 is persistent by default; an HTTP/1.0 client asked for it.
        $res->header(Connection => 'keep-alive') if $how{proto} < 1.1;
        $res->header('Keep-Alive' => sprintf 'timeout=%d', $opt{idle_timeout});
    }
    else {
        $res->header(Connection => 'close');
        $res->remove_header('Keep-Alive');
        $c->{close_after} = 1;
    }
    my $message = $res->message;
    $message = HTTP::Status::status_message($code) // '' unless defined $message && length $message;
    $c->{wbuf} .= join '',
        ($res->protocol || 'HTTP/1.1') . " $code $message" . CRLF,
        'Date: ' . HTTP::Date::time2str(time) . CRLF,
        'Server: ' . $daemon->product_tokens . CRLF,
        $res->headers_as_string(CRLF),
        CRLF,
        ($how{head} ? '' : $content);
}

# Parses the request at the start of $c->{rbuf}. Returns {} when more bytes
# are needed; {error => status, reason => text} for a request that cannot be
# served (answered, then the connection is closed, as HTTP::Daemon did);
# else {request => HTTP::Request, keep => bool, proto => 1.0|1.1|...} and
# removes the request's bytes from the buffer. Sends `100 Continue` when the
# client waits for it.
sub parse_request {
    my ($c) = @_;
    $c->{rbuf} =~ s/^(?:\015?\012)+//;    # blank lines before a request are allowed
    my $buf = \$c->{rbuf};
    if ($$buf !~ /\015?\012\015?\012/) {
        return { error => 414, reason => 'Very long first line' }
            if length $$buf > MAX_HEADER && $$buf !~ /\012/;
        return { error => 413, reason => 'Very long header' } if length $$buf > MAX_HEADER;
        return {};
    }
    my ($head_end, $body_start) = ($-[0], $+[0]);
    return { error => 413, reason => 'Very long header' } if $head_end > MAX_HEADER;
    my @lines = split /\015?\012/, substr($$buf, 0, $head_end);
    my ($method, $uri, $version) =
        (shift @lines) =~ m{^(\S+)[ \t]+(\S+)[ \t]+HTTP/(\d+\.\d+)[ \t]*$}
        or return { error => 400, reason => 'Bad request line' };
    my $proto = $version + 0;
    my $r = HTTP::Request->new($method, $HTTP::URI_CLASS->new($uri, $daemon->url));
    $r->protocol("HTTP/$version");
    my ($key, $val);
    for (@lines) {
        if (/^([^:\s]+)\s*:\s*(.*)/) {
            $r->push_header($key, $val) if $key;
            ($key, $val) = ($1, $2);
        }
        elsif (/^\s+(.*)/ && $key) {
            $val .= " $1";
        }
        else {
            return { error => 400, reason => 'Bad header line' };
        }
    }
    $r->push_header($key, $val) if $key;

    my $conn = lc($r->header('Connection') // '');
    my $keep = $proto >= 1.1 ? $conn !~ /\bclose\b/ : $conn =~ /\bkeep-alive\b/;

    my @expect = $r->header('Expect');
    for (@expect) {
        return { error => 417, reason => 'Unsupported Expect header value' }
            unless lc($_) eq '100-continue';
    }

    my ($body, $end);
    my $te = $r->header('Transfer-Encoding');
    if ($te && lc $te eq 'chunked') {
        ($body, $end) = parse_chunked($buf, $body_start);
        return { error => 400, reason => 'Bad chunk header' } if defined $body && $body eq "\0bad";
        return { error => 413, reason => 'Request body too large' }
            if !defined $body && length $$buf > MAX_BODY;
        if (defined $body) {
            $r->remove_header('Transfer-Encoding');
            $r->header('Content-Length' => length $body);
        }
    }
    elsif ($te) {
        return { error => 501, reason => "Unknown transfer encoding '$te'" };
    }
    elsif (defined(my $cl = $r->header('Content-Length'))) {
        my @vals = map { s/^\s+|\s+$//gr } split /,/, $cl;
        return { error => 400, reason => 'Content-Length value must be an unsigned integer' }
            if grep { !/^[0-9]+$/ } @vals;
        return { error => 400, reason => 'Content-Length values are not the same' }
            if grep { $_ != $vals[0] } @vals;
        my $len = $vals[0];
        return { error => 413, reason => 'Request body too large' } if $len > MAX_BODY;
        $r->header('Content-Length' => $len);
        if (length($$buf) - $body_start >= $len) {
            ($body, $end) = (substr($$buf, $body_start, $len), $body_start + $len);
        }
    }
    else {
        ($body, $end) = ('', $body_start);
    }
    if (!defined $body) {
        if (@expect && !$c->{continue_sent}) {
            $c->{continue_sent} = 1;
            $c->{wbuf} .= 'HTTP/1.1 100 Continue' . CRLF . CRLF;
            flush($c);
        }
        return {};
    }
    $c->{continue_sent} = 0;
    $r->content($body);
    substr($$buf, 0, $end, '');
    return { request => $r, keep => $keep, proto => $proto };
}

# A chunked body at offset $at of $$buf: (body, end offset), or () when
# incomplete, or ("\0bad") when malformed. Trailers are skipped.
sub parse_chunked {
    my ($buf, $at) = @_;
    my $body = '';
    while (1) {
        my $eol = index($$buf, "\012", $at);
        return if $eol < 0;
        my $line = substr($$buf, $at, $eol - $at);
        return ("\0bad") unless $line =~ /^([0-9A-Fa-f]+)/;
        my $size = hex $1;
        $at = $eol + 1;
        if ($size == 0) {
            while (1) {    # trailers, up to an empty line
                my $e = index($$buf, "\012", $at);
                return if $e < 0;
                my $t = substr($$buf, $at, $e - $at);
                $at = $e + 1;
                return ($body, $at) if $t =~ /^\015?$/;
            }
        }
        return if length($$buf) < $at + $size + 2;
        $body .= substr($$buf, $at, $size);
        $at += $size;
        $at += substr($$buf, $at, 1) eq "\015" ? 2 : 1;
    }
}

my $watch_stdin = !$opt{ignore_stdin};
while (1) {
    my $read  = IO::Select->new;
    my $write = IO::Select->new;
    $read->add(\*STDIN) if $watch_stdin;
    # Not at the cap, or an idle connection can make room: accept.
    $read->add($daemon)
        if keys %CONN < $opt{max_connections} || grep { is_idle($_) } values %CONN;
    my $next;
    for my $c (values %CONN) {
        if    ($c->{wbuf} ne '')              { $write->add($c->{sock}) }
        elsif (!$c->{eof} || $c->{state} eq 'closing') { $read->add($c->{sock}) }
        my $d = deadline($c);
        $next = $d if !defined $next || $d < $next;
    }
    my $timeout = defined $next ? List::Util::max(0, $next - now()) : undef;
    my ($readable, $writable) = IO::Select->select($read, $write, undef, $timeout);
    for my $fh (@{ $writable || [] }) {
        my $c = $CONN{ fileno $fh } or next;
        on_writable($c);
    }
    for my $fh (@{ $readable || [] }) {
        if (fileno($fh) == fileno($daemon)) {
            accept_connection();
        }
        elsif (fileno($fh) == fileno(STDIN)) {
            # Anything on stdin is ignored; EOF (or an error) means the parent
            # is gone, so we go too.
            my $n = sysread(STDIN, my $buf, 4096);
            if (!$n) {
                next if !defined $n && $!{EINTR};
                Stub::log_msg('stdin closed, exiting');
                exit 0;
            }
        }
        else {
            my $c = $CONN{ fileno $fh } or next;
            on_readable($c);
        }
    }
    my $t = now();
    for my $c (values %CONN) {
        next if deadline($c) > $t;
        if ($c->{state} eq 'closing') {
            drop($c);
        }
        else {
            Stub::log_msg("connection #$c->{id}: " . (is_idle($c) ? 'idle' : 'stalled') . ' timeout');
            begin_close($c);
        }
    }
}
