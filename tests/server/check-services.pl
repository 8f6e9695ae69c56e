#!/usr/bin/perl
# check-services.pl - smoke test of telinta-soap-server.pl's Internal, Callmon,
# LS_Conference and Queues services: starts the server on a free loopback port
# (piped stdin, as the Rust harness does), calls every operation with
# envelopes shaped like the Rust client's, and checks values (against the
# data files), wire types and state changes.
#
#   perl tests/server/check-services.pl [-v]
#
# Prints "ok N - ..." lines and a summary; exits non-zero on any failure.
# Needs only what the server needs (SOAP::Lite, LWP, JSON::PP).

use strict;
use warnings;
use utf8;

use File::Basename qw(dirname);
use File::Spec;
use IPC::Open2 qw(open2);
use JSON::PP;
use LWP::UserAgent;
use SOAP::Lite;

binmode STDOUT, ':encoding(UTF-8)';
my $VERBOSE = grep { $_ eq '-v' } @ARGV;
my $HERE = dirname(File::Spec->rel2abs(__FILE__));

sub data {
    my ($f) = @_;
    open my $fh, '<:raw', "$HERE/data/$f" or die "$f: $!";
    local $/;
    return JSON::PP->new->utf8->decode(<$fh>);
}
my %D = map { $_ => data("$_.json") } qw(internal callmon ls_conference queues);

# --- server -------------------------------------------------------------------
my $pid = open2(my $out, my $in, $^X, "$HERE/telinta-soap-server.pl", '--port', '0');
my $line = <$out>;
die "server did not start: " . ($line // 'EOF') unless defined $line && $line =~ /^LISTENING (\d+)/;
my $URL = "http://127.0.0.1:$1/soap/";
END { close $in if $in; waitpid $pid, 0 if $pid }

# --- client -------------------------------------------------------------------
my $ua = LWP::UserAgent->new(timeout => 10);
my %NS = (Internal => 'https://mybilling.telinta.com/Porta/SOAP/Internal',
          Callmon => 'https://mybilling.telinta.com/Porta/SOAP/Callmon',
          LS_Conference => 'https://mybilling.telinta.com/Porta/SOAP/LS_Conference',
          Queues => 'https://mybilling.telinta.com/UM/SOAP/Queues',
          Session => 'https://mybilling.telinta.com/Porta/SOAP/Session');

sub esc { my $s = shift; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g; $s }

# Members: [name, type, value]; type 'ns:X' with an arrayref value is a struct.
sub enc {
    my ($m) = @_;
    my ($name, $type, $v) = @$m;
    return qq{<$name xsi:type="$type">} . join('', map { enc($_) } @$v) . "</$name>" if ref $v;
    return qq{<$name xsi:type="$type">} . esc($v) . "</$name>";
}

my $AUTH = q{<login xsi:type="xsd:string">api-user</login><password xsi:type="xsd:string">s3cr3t-pass</password>};

# call(Service, method, PartType|undef, [members]) -> { xml, code, res, fault }
sub call {
    my ($svc, $method, $part, $members, %o) = @_;
    my $body = defined $part
        ? qq{<$part xsi:type="ns:$part">} . join('', map { enc($_) } @{ $members || [] }) . "</$part>"
        : '';
    my $auth = exists $o{auth} ? $o{auth} : $AUTH;
    my $header = defined $auth ? qq{<soap:Header><ns:auth_info xsi:type="ns:AuthInfoStructure">$auth</ns:auth_info></soap:Header>} : '';
    my $env = qq{<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:ns="http://schemas.portaone.com/soap" soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">$header<soap:Body><m:$method xmlns:m="$NS{$svc}">$body</m:$method></soap:Body></soap:Envelope>};
    my $r = $ua->post($URL, 'Content-Type' => 'text/xml; charset=utf-8', SOAPAction => qq{"$NS{$svc}#$method"},
        Content => do { utf8::encode(my $b = $env); $b });
    my $xml = $r->decoded_content;
    print "# $svc/$method -> ", $r->code, "\n# $xml\n" if $VERBOSE;
    my $som = eval { SOAP::Deserializer->deserialize($xml) };
    die "$svc/$method: not SOAP: $xml" unless $som;
    my $fault = $som->fault;
    return { xml => $xml, code => $r->code, som => $som,
             fault       => ($fault ? scalar $som->faultcode : undef),
             faultstring => ($fault ? scalar $som->faultstring : undef),
             res         => ($fault ? undef : scalar $som->result) };
}

my ($n, $failed) = (0, 0);
sub ok {
    my ($cond, $what) = @_;
    $n++;
    print(($cond ? 'ok' : 'not ok'), " $n - $what\n");
    $failed++ unless $cond;
    return $cond;
}
sub is {
    my ($got, $want, $what) = @_;
    my $ok = (defined $got && defined $want && $got eq $want) || (!defined $got && !defined $want);
    ok($ok, $what) or print "#   got:  ", ($got // 'undef'), "\n#   want: ", ($want // 'undef'), "\n";
}
sub fault_is {
    my ($r, $code, $what) = @_;
    is($r->{fault}, "soap:$code", "$what: fault $code") or print "#   $r->{xml}\n";
}
# SOAP::Lite's client decodes xsd:base64Binary to bytes; the server sent UTF-8.
sub utf8_text { my $b = shift; utf8::decode($b); $b }
sub m_ { my ($name, $type, $v) = @_; [ $name, $type, $v ] }
sub int_  { m_($_[0], 'xsd:int', $_[1]) }
sub str_  { m_($_[0], 'xsd:string', $_[1]) }
sub list  { my $v = shift; ref $v eq 'ARRAY' ? @$v : defined $v && $v ne '' ? ($v) : () }

# =============================================================================
# auth
my $r = call(Internal => 'get_i_env', undef, [], auth => undef);
fault_is($r, 'Server.Session.check_auth.auth_failed', 'no auth_info');
is($r->{faultstring}, 'Authentification failed', 'same faultstring as DIDAPI');
$r = call(Queues => 'get_queue_calls', 'GetQueueCallsRequest', [ int_(i_queue => 301) ],
    auth => q{<session_id xsi:type="xsd:string">deadbeef</session_id>});
fault_is($r, 'Server.Session.check_auth.auth_failed', 'unknown session');
my $login = call(Session => 'login', 'LoginRequest', [ str_(login => 'api-user'), str_(password => 's3cr3t-pass') ], auth => undef);
my $sid = $login->{res}{session_id};
ok(defined $sid && length $sid == 32, 'login');

# unknown method: same SOAP::Lite fault as Session/DIDAPI
$r = call(Internal => 'no_such_method', undef, []);
is($r->{fault}, 'soap:Client', 'unknown method is soap:Client');
ok(scalar $r->{faultstring} =~ /^Failed to access class \(Porta::SOAP::Internal\): Can't locate Porta\/SOAP\/Internal\.pm in \@INC/, 'unknown method faultstring');
$r = call(Internal => 'load', undef, []);
is($r->{fault}, 'soap:Client', 'helper subs are not callable');

# =============================================================================
# Internal
my $I = $D{internal};
$r = call(Internal => 'get_i_env', undef, [], auth => qq{<session_id xsi:type="xsd:string">$sid</session_id>});
is($r->{res}{i_env}, 46, 'get_i_env with a session');
ok(scalar $r->{xml} =~ m{<i_env xsi:type="xsd:int">46</i_env>}, 'i_env is xsd:int');

$r = call(Internal => 'get_destination', 'GetDestinationRequest', [ int_(i_env => 46), int_(prefix => '442071234567') ]);
is($r->{res}{destination}, '4420', 'get_destination longest prefix');
$r = call(Internal => 'get_destination', 'GetDestinationRequest', [ int_(prefix => '999') ]);
fault_is($r, 'Server.Internal.get_destination.not_found', 'get_destination unknown');
$r = call(Internal => 'get_destination', 'GetDestinationRequest', [ int_(i_env => 1), int_(prefix => '44') ]);
fault_is($r, 'Server.Internal.get_destination.bad_i_env', 'get_destination other env');
$r = call(Internal => 'get_destination', 'GetDestinationRequest', []);
fault_is($r, 'Server.Internal.get_destination.missing_prefix', 'get_destination no prefix');

# --- get_rates_list
my @all = grep { $_->{i_tariff} == 3001 } @{ $I->{rates} };
ok(@all >= 250, 'tariff 3001 has >= 250 rates');
sub rates {
    my (@m) = @_;
    my $r = call(Internal => 'get_rates_list', 'GetRatesListRequest', [ int_(i_tariff => 3001), @m ]);
    return $r if $r->{fault};
    my $rl = $r->{res}{rates_list};
    return { %$r, rows => [ list($rl->[0]) ], total => $rl->[1] };
}
$r = rates();
is(scalar @{ $r->{rows} }, 100, 'default pager 100');
is($r->{total}, scalar @all, 'total = rates in tariff');
ok(scalar $r->{xml} =~ m{<rates_list soapenc:arrayType="xsd:anyType\[2\]" xsi:type="soapenc:Array"><item soapenc:arrayType="ns:RateInfo\[100\]" xsi:type="soapenc:Array"><item xsi:type="ns:RateInfo">}, 'rates_list wire shape');
ok(scalar $r->{xml} =~ m{</item></item><item xsi:type="xsd:int">${\ scalar @all}</item></rates_list>}, 'second element xsd:int total');
my @by_dest = sort { $a->{destination} cmp $b->{destination} || $a->{i_rate} <=> $b->{i_rate} } @all;
is(join(',', map { $_->{i_rate} } @{ $r->{rows} }), join(',', map { $_->{i_rate} } @by_dest[0 .. 99]), 'default sort destination ASC');
$r = rates(int_(offset => 250), int_(pager => 100));
is(scalar @{ $r->{rows} }, @all - 250, 'last page');
$r = rates(int_(offset => 1000));
ok(scalar $r->{xml} =~ m{<item soapenc:arrayType="xsd:anyType\[0\]" xsi:type="soapenc:Array" /><item xsi:type="xsd:int">${\ scalar @all}</item>}, 'offset past the end: empty first element, total kept');
$r = rates(int_(offset => 10), int_(pager => 5), str_(sortby => 'price_1'), str_(direction => 'DESC'));
my @by_price = reverse sort { Stub_dec_cmp($a->{price_1}, $b->{price_1}) || $a->{i_rate} <=> $b->{i_rate} } @all;
is(join(',', map { $_->{i_rate} } @{ $r->{rows} }), join(',', map { $_->{i_rate} } @by_price[10 .. 14]), 'sortby price_1 DESC, offset 10, pager 5');
is($r->{rows}[0]{price_1}, $by_price[10]{price_1}, 'price text kept');
$r = rates(str_(sortby => 'formula'), int_(pager => 3));
ok(!defined $r->{rows}[0]{formula}, 'NULL formula sorts first ASC');
ok(scalar $r->{xml} =~ m{<formula xsi:nil="true" />}, 'NULL formula is xsi:nil');
$r = rates(str_(sortby => 'formula'), str_(direction => 'DESC'), int_(pager => 1));
ok(defined $r->{rows}[0]{formula}, 'NULL formula sorts last DESC');
$r = rates(str_(tmpl => '44%'), str_(type => 'destination'));
my @uk = grep { $_->{destination} =~ /^44/ } @all;
is($r->{total}, scalar @uk, "LIKE '44%' on destination");
$r = rates(str_(tmpl => 'mobile'), str_(type => 'description'), str_(tmpl1 => 'haiti'), str_(type1 => 'country'));
my @hm = grep { $_->{description} =~ /mobile/i && $_->{country} =~ /haiti/i } @all;
is($r->{total}, scalar @hm, 'substring filters, case-insensitive, AND-ed');
ok(@hm > 0, '... and they match something');
$r = rates(str_(tmpl2 => 'C_te%'), str_(type2 => 'country'));
my @ci = grep { $_->{country} =~ /^C.te/i } @all;
is($r->{total}, scalar @ci, "'_' wildcard, non-ASCII value");
ok(scalar $r->{xml} =~ /xsd:base64Binary/, 'non-ASCII country/description is base64Binary');
$r = rates(int_(i_rate => $all[5]{i_rate}));
is($r->{total}, 1, 'i_rate filter');
is($r->{rows}[0]{destination}, $all[5]{destination}, 'i_rate row');
fault_is(rates(int_(pager => 0)), 'Server.Internal.get_rates_list.bad_pager', 'pager 0');
fault_is(rates(int_(pager => 101)), 'Server.Internal.get_rates_list.bad_pager', 'pager 101');
fault_is(rates(int_(offset => -1)), 'Server.Internal.get_rates_list.bad_offset', 'offset -1');
fault_is(rates(str_(sortby => 'nope')), 'Server.Internal.get_rates_list.bad_sortby', 'sortby unknown');
fault_is(rates(str_(direction => 'UP')), 'Server.Internal.get_rates_list.bad_direction', 'direction UP');
fault_is(rates(str_(type => 'city'), str_(tmpl => 'x')), 'Server.Internal.get_rates_list.bad_type', 'type city');
fault_is(rates(str_(tmpl1 => 'x')), 'Server.Internal.get_rates_list.missing_type1', 'tmpl1 without type1');
$r = call(Internal => 'get_rates_list', 'GetRatesListRequest', [ int_(i_tariff => 1) ]);
fault_is($r, 'Server.Internal.get_rates_list.not_found', 'unknown tariff');
$r = call(Internal => 'get_rates_list', 'GetRatesListRequest', [ int_(i_tariff => 3003) ]);
ok(scalar $r->{xml} =~ m{<item soapenc:arrayType="xsd:anyType\[0\]" xsi:type="soapenc:Array" /><item xsi:type="xsd:int">0</item>}, 'empty tariff');

# --- tariff bindings
$r = call(Internal => 'get_tariff_binding_list', 'GetTariffBindingListRequest', [ int_(i_tariff => 3001) ]);
is(join(',', map { $_->{i_ttb} } list($r->{res}{bindings})), '501,502', 'bindings of 3001');
ok(scalar $r->{xml} =~ m{<bindings soapenc:arrayType="ns:TariffBindingInfo\[2\]" xsi:type="soapenc:Array"><item xsi:type="ns:TariffBindingInfo"><i_ttb xsi:type="xsd:int">501</i_ttb>}, 'bindings wire shape');
ok(scalar $r->{xml} =~ m{<email_key xsi:type="xsd:int">20261203</email_key>}, 'numeric-looking email_key autotyped xsd:int');
$r = call(Internal => 'add_update_tariff_binding', 'AddUpdateTariffBindingRequest',
    [ int_(i_tariff => 3001), int_(i_tariff_template => 11), str_(email_from => 'new@rates.example'), str_(email_key => 'abc') ]);
is($r->{res}{i_ttb}, 504, 'add binding -> 504');
is($r->{res}{i_tariff}, 3001, '... tariff');
$r = call(Internal => 'add_update_tariff_binding', 'AddUpdateTariffBindingRequest',
    [ int_(i_ttb => 504), str_(disabled => 'Y') ]);
is($r->{res}{i_ttb}, 504, 'update binding');
$r = call(Internal => 'get_tariff_binding_list', 'GetTariffBindingListRequest', [ int_(i_tariff => 3001) ]);
my ($b504) = grep { $_->{i_ttb} == 504 } list($r->{res}{bindings});
is(join('|', map { $b504->{$_} // 'nil' } qw(i_tariff i_tariff_template email_from email_key disabled)), '3001|11|new@rates.example|abc|Y', 'list shows the new binding');
fault_is(call(Internal => 'add_update_tariff_binding', 'AddUpdateTariffBindingRequest', [ int_(i_ttb => 504), int_(i_tariff => 3002) ]),
    'Server.Internal.add_update_tariff_binding.bad_i_tariff', 'i_tariff insert-only');
fault_is(call(Internal => 'add_update_tariff_binding', 'AddUpdateTariffBindingRequest', [ int_(i_tariff => 3001), int_(i_tariff_template => 11) ]),
    'Server.Internal.add_update_tariff_binding.missing_email_from', 'insert without email_from');
fault_is(call(Internal => 'add_update_tariff_binding', 'AddUpdateTariffBindingRequest', [ int_(i_tariff => 3001), int_(i_tariff_template => 13), str_(email_from => 'a@b.example') ]),
    'Server.Internal.add_update_tariff_binding.bad_i_tariff_template', 'download template');
fault_is(call(Internal => 'add_update_tariff_binding', 'AddUpdateTariffBindingRequest', [ int_(i_tariff => 3001), int_(i_tariff_template => 11), str_(email_from => 'NEW@rates.example') ]),
    'Server.Internal.add_update_tariff_binding.already_exists', 'duplicate email');
fault_is(call(Internal => 'add_update_tariff_binding', 'AddUpdateTariffBindingRequest', [ int_(i_tariff => 3001), int_(i_tariff_template => 11), str_(email_from => 'x@y.example'), str_(disabled => 'yes') ]),
    'Server.Internal.add_update_tariff_binding.bad_disabled', 'disabled yes');
$r = call(Internal => 'del_tariff_binding', 'DelTariffBindingRequest', [ int_(i_ttb => 504) ]);
is($r->{res}{result}, 'OK', 'del binding');
fault_is(call(Internal => 'del_tariff_binding', 'DelTariffBindingRequest', [ int_(i_ttb => 504) ]),
    'Server.Internal.del_tariff_binding.not_found', 'del again');
$r = call(Internal => 'get_tariff_binding_list', 'GetTariffBindingListRequest', []);
is(join(',', map { $_->{i_ttb} } list($r->{res}{bindings})), '501,502,503', 'all bindings, 504 gone');
$r = call(Internal => 'get_tariff_templates_list', 'GetTariffTemplatesListRequest', [ str_(type => 'download') ]);
is(join(',', map { $_->{i_tariff_template} } list($r->{res}{templates})), '13,14', 'download templates');
ok(scalar $r->{xml} =~ m{<i_customer xsi:nil="true" />}, 'template without customer: nil');
ok(scalar $r->{xml} =~ m{<name xsi:type="xsd:string">Grille tarifaire – export</name>}, 'name explicit xsd:string, UTF-8');
fault_is(call(Internal => 'get_tariff_templates_list', 'GetTariffTemplatesListRequest', [ str_(type => 'csv') ]),
    'Server.Internal.get_tariff_templates_list.bad_type', 'template type csv');

# --- accessibility / routing tariffs (deprecated + delete_routing_tariff)
$r = call(Internal => 'get_accessibility_list', 'GetAccessibilityListRequest', [ int_(i_product => 2001) ]);
my @acc = list($r->{res}{accessibility_list});
is(join(',', map { $_->{i_accessibility} . ':' . ($_->{i_tariff} // 'NULL') } @acc), '7001:3001,7002:NULL,7004:NULL', 'get_accessibility_list');
$r = call(Internal => 'get_routing_tariff_list', 'GetRoutingTariffListRequest', [ int_(i_accessibility => 7002) ]);
is(join(',', map { "$_->{i_routing_plan}/$_->{i_tariff}" } list($r->{res}{routing_tariff_list})), '61/3001,62/3002', 'get_routing_tariff_list');
ok(scalar $r->{xml} =~ m{ns:RoutingTariffInfo\[2\]}, 'RoutingTariffInfo items');
$r = call(Internal => 'delete_routing_tariff', 'DeleteRoutingTariffRequest', [ int_(i_accessibility => 7002), int_(i_acc_routing_tariff => 9001) ]);
is($r->{res}{success}, 'OK', 'delete_routing_tariff');
$r = call(Internal => 'get_routing_tariff_list', 'GetRoutingTariffListRequest', [ int_(i_accessibility => 7002) ]);
is(join(',', map { "$_->{i_routing_plan}/$_->{i_tariff}" } list($r->{res}{routing_tariff_list})), '62/3002', '... gone from the list');
fault_is(call(Internal => 'delete_routing_tariff', 'DeleteRoutingTariffRequest', [ int_(i_accessibility => 7004), int_(i_acc_routing_tariff => 9002) ]),
    'Server.Internal.delete_routing_tariff.not_found', 'routing tariff of another accessibility');

# --- stats dates, VDP history, owner batches
$r = call(Internal => 'get_stats_dates', 'GetStatsDatesRequest', [ str_(type => 'customer'), int_(i_customer => 1001) ]);
my @f = list($r->{res}{file_list});
is(scalar @f, 5, 'customer stats files');
is($f[0]{filename}, 'customer_1001_2026-11-28.csv', 'first file');
ok(scalar $r->{xml} =~ m{<date xsi:type="xsd:date">2026-11-28</date>}, 'file date autotyped xsd:date');
$r = call(Internal => 'get_stats_dates', 'GetStatsDatesRequest', [ str_(type => 'vendor'), int_(i_vendor => 201), int_(i_env => 46) ]);
is(scalar(list($r->{res}{file_list})), 3, 'vendor stats files');
$r = call(Internal => 'get_stats_dates', 'GetStatsDatesRequest', [ str_(type => 'customer'), int_(i_customer => 1002) ]);
ok(scalar $r->{xml} =~ m{<file_list soapenc:arrayType="xsd:anyType\[0\]"}, 'no files: empty array');
fault_is(call(Internal => 'get_stats_dates', 'GetStatsDatesRequest', [ str_(type => 'reseller'), int_(i_customer => 1) ]),
    'Server.Internal.get_stats_dates.bad_type', 'bad type');
fault_is(call(Internal => 'get_stats_dates', 'GetStatsDatesRequest', [ str_(type => 'vendor') ]),
    'Server.Internal.get_stats_dates.missing_i_vendor', 'vendor without i_vendor');
$r = call(Internal => 'get_customer_vdp_counter_history', 'GetCustomerVDPCounterHistoryRequest',
    [ int_(i_customer => 1001), m_(from => 'xsd:dateTime', '2026-10-01 00:00:00'), m_(to => 'xsd:dateTime', '2026-11-01T00:00:00Z') ]);
is(join(',', map { $_->{i_cvd_counter} } list($r->{res}{result})), '8102,8103,8104', 'VDP history in [from, to]');
ok(scalar $r->{xml} =~ m{<discount_start_date xsi:type="xsd:string">2026-10-01 00:00:00</discount_start_date>}, 'dateTime sent as YYYY-MM-DD HH:MM:SS (xsd:string)');
fault_is(call(Internal => 'get_customer_vdp_counter_history', 'GetCustomerVDPCounterHistoryRequest', [ int_(i_customer => 1001), m_(from => 'xsd:dateTime', '01/10/2026') ]),
    'Server.Internal.get_customer_vdp_counter_history.bad_from', 'bad from');
$r = call(Internal => 'get_owner_batch_list', 'GetOwnerBatchListRequest', [ int_(i_customer => 1002) ]);
is(join(',', map { $_->{i_do_batch} } list($r->{som}->valueof('//owner_batch_list'))), '151,152', 'owner batches of reseller 1002');
ok(scalar $r->{xml} =~ m{<owner_batch_list soapenc:arrayType="ns:OwnerBatchInfo\[2\]"}, 'member owner_batch_list (not ownher_)');
$r = call(Internal => 'get_owner_batch_list', 'GetOwnerBatchListRequest', [ str_(name => 'québec') ]);
is(join(',', map { $_->{i_do_batch} } list($r->{res}{owner_batch_list})), '148', 'batch name substring, case-insensitive');

# --- IP restrictions, g729
my %ipr = ('account/50001/203.0.113.99' => 0, 'account/50001/203.0.114.1' => 1, 'customer/1002/8.8.8.8' => 0,
           'Customer/1001/192.0.2.200' => 1, 'user/78/10.20.30.40' => 0, 'user/77/1.2.3.4' => 0);
for my $k (sort keys %ipr) {
    my ($t, $v, $ip) = split m{/}, $k;
    $r = call(Internal => 'is_ip_restricted', 'IsIPRestrictedRequest', [ str_(type => $t), int_(i_value => $v), str_(ip => $ip) ]);
    is($r->{res}{restrict}, $ipr{$k}, "is_ip_restricted $k");
}
fault_is(call(Internal => 'is_ip_restricted', 'IsIPRestrictedRequest', [ str_(type => 'account'), int_(i_value => 1), str_(ip => '1.2.3.4') ]),
    'Server.Internal.is_ip_restricted.not_found', 'unknown account');
fault_is(call(Internal => 'is_ip_restricted', 'IsIPRestrictedRequest', [ str_(type => 'account'), int_(i_value => 50001), str_(ip => '300.1.1.1') ]),
    'Server.Internal.is_ip_restricted.bad_ip', 'bad ip');
$r = call(Internal => 'enable_g729', 'Enable_g729Request', [ str_(id => '50001'), str_(notify_email => 'ops@acme.example') ]);
is($r->{res}{result}, 1, 'enable_g729 placed');
$r = call(Internal => 'enable_g729', 'Enable_g729Request', [ str_(id => '50001') ]);
is($r->{res}{result}, 0, 'enable_g729 again: 0');
$r = call(Internal => 'enable_g729', 'Enable_g729Request', [ str_(id => '50003') ]);
is($r->{res}{result}, 0, 'enable_g729 non-Mobyx: 0');
fault_is(call(Internal => 'enable_g729', 'Enable_g729Request', [ str_(id => 'abc') ]), 'Server.Internal.enable_g729.bad_id', 'bad id');

# --- TransferTo
$r = call(Internal => 'transferto', 'TransferToRequest', [ str_(method => 'pricelist'), int_(i_customer => 1001), str_(info_type => 'countries'), int_(content => 17) ]);
is(utf8_text($r->{res}{country}), join(',', map { $_->{country} } @{ $I->{transferto}{countries} }), 'pricelist countries: comma list (base64Binary: non-ASCII)');
is($r->{res}{countryid}, '843,781,862,812', 'pricelist countryids');
is($r->{res}{authentication_key}, 1701000001, 'authentication_key');
is($r->{res}{error_code}, 0, 'error_code 0');
$r = call(Internal => 'transferto', 'TransferToRequest', [ str_(method => 'pricelist'), int_(i_customer => 1001), str_(info_type => 'operator'), int_(content => 1394) ]);
is($r->{res}{product_list}, '250,500,1000,2500', 'pricelist operator products');
$r = call(Internal => 'transferto', 'TransferToRequest', [ str_(method => 'msisdn_info'), int_(i_customer => 1001), str_(destination_msisdn => '+50937001234'),
    str_(delivered_amount_info => '1'), m_(return_service_fee => 'xsd:float', '1'), m_(return_promo => 'xsd:float', '1') ]);
is($r->{res}{operator}, 'Digicel Haiti', 'msisdn_info operator');
is($r->{res}{operatorid}, '', 'operatorid blank when not forced');
is($r->{res}{service_fee_list}, '0.25,0.25,0.50,1.00', 'service_fee_list');
is($r->{res}{promo_start}, '2026-12-01 00:00:00+00', 'promo_start');
is($r->{res}{local_info_currency}, 'HTG', 'local_info_currency');
$r = call(Internal => 'transferto', 'TransferToRequest', [ str_(method => 'msisdn_info'), int_(i_customer => 1001), str_(destination_msisdn => '4915112345678') ]);
is($r->{res}{error_code}, 101, 'msisdn out of range');
$r = call(Internal => 'transferto', 'TransferToRequest', [ str_(method => 'topup'), int_(i_account => 50001), str_(destination_msisdn => '50937001234'),
    str_(msisdn => '15055550100'), str_(product => '500'), int_(return_timestamp => 1), int_(return_version => 1) ]);
is($r->{res}{error_code}, 0, 'topup ok');
is($r->{res}{wholesale_price}, '3.4970', 'wholesale_price');
is($r->{res}{balance}, '22.2530', 'balance 25.75 - 3.4970');
is($r->{res}{return_timestamp}, '2026-12-03 09:00:00', 'return_timestamp from the clock');
is($r->{res}{transactionid}, 48213501, 'transactionid');
is($r->{res}{reference_operator}, 'DGCHT48213501', 'reference_operator');
$r = call(Internal => 'transferto', 'TransferToRequest', [ str_(method => 'topup'), int_(i_account => 50002), str_(destination_msisdn => '50937001234'),
    str_(msisdn => '15055550107'), str_(product => '2500') ]);
is($r->{res}{error_code}, 309, 'topup insufficient balance');
is($r->{res}{balance}, '0.5', 'balance unchanged');
$r = call(Internal => 'transferto', 'TransferToRequest', [ str_(method => 'topup'), int_(i_customer => 1001), str_(destination_msisdn => '50937001234'),
    str_(msisdn => '15055550100'), str_(product => '750') ]);
is($r->{res}{error_code}, 301, 'topup bad denomination');
fault_is(call(Internal => 'transferto', 'TransferToRequest', [ str_(method => 'topup'), int_(i_customer => 1001), str_(destination_msisdn => '50937001234'), str_(product => '500') ]),
    'Server.Internal.transferto.missing_msisdn', 'topup without msisdn');
fault_is(call(Internal => 'transferto', 'TransferToRequest', [ str_(method => 'refund'), int_(i_customer => 1001) ]),
    'Server.Internal.transferto.bad_method', 'bad method');
fault_is(call(Internal => 'transferto', 'TransferToRequest', [ str_(method => 'pricelist'), str_(info_type => 'countries') ]),
    'Server.Internal.transferto.missing_i_customer', 'no payer');

# --- PrepayNation
$r = call(Internal => 'prepaynation', 'PrepayNationRequest', [ str_(method => 'get_sku_list'), int_(i_customer => 1001) ]);
ok(scalar $r->{xml} =~ m{<PrepayNationResponse soapenc:arrayType="ns:PrepayNationSku\[4\]" xsi:type="soapenc:Array">}, 'get_sku_list: the part is an array of SKUs');
$r = call(Internal => 'prepaynation', 'PrepayNationRequest', [ str_(method => 'purchase_pin'), int_(i_customer => 1002), int_(skuId => 2601), int_(amount => 10) ]);
is($r->{res}{ResponseCode}, '000', 'purchase_pin');
my ($inv) = list($r->{res}{Invoice});
is($inv->{InvoiceAmount}, '9.6500', 'InvoiceAmount = 10 x 0.9650');
is($inv->{InvoiceNumber}, 700001, 'InvoiceNumber');
is((list($inv->{Cards}))[0]{Pin}, sprintf('%012d', 700001 * 7919), 'PIN');
ok(scalar $r->{xml} =~ m{<ResponseMessage xsi:nil="true" />}, 'ResponseMessage nil on 000');
ok(scalar $r->{xml} =~ m{<Topup xsi:nil="true" />}, 'no Topup for a PIN');
$r = call(Internal => 'prepaynation', 'PrepayNationRequest', [ str_(method => 'purchase_rtr'), int_(i_customer => 1002), int_(skuId => 2711), int_(amount => 15), str_(mobile => '525512345678') ]);
is($r->{res}{ResponseCode}, '000', 'purchase_rtr');
my ($top) = list($r->{res}{Topup});
is($top->{mobile}, '525512345678', 'Topup mobile');
ok(scalar $r->{xml} =~ m{<Cards soapenc:arrayType="xsd:anyType\[0\]"}, 'RTR: no cards');
$r = call(Internal => 'prepaynation', 'PrepayNationRequest', [ str_(method => 'purchase_rtr_by_ani'), int_(i_customer => 1002), int_(skuId => 2710), int_(amount => 500), str_(mobile => '50212345678') ]);
is($r->{res}{ResponseCode}, '101', 'amount out of range');
ok(scalar $r->{xml} =~ m{<Invoice xsi:nil="true" />}, 'Invoice nil on failure');
fault_is(call(Internal => 'prepaynation', 'PrepayNationRequest', [ str_(method => 'purchase_rtr'), int_(i_customer => 1002), int_(skuId => 2711), int_(amount => 15) ]),
    'Server.Internal.prepaynation.missing_mobile', 'rtr without mobile');

# --- deprecated, empty
for my $m (qw(get_group_set_list get_group_set get_group add_tariff add_update_routing_tariff get_tariff_list
    get_tariff_info add_vendor update_vendor add_connection update_connection delete_connection add_product
    add_accessibility del_accessibility get_routing_plan_list get_route_list get_subscription_list)) {
    (my $t = $m) =~ s/(?:^|_)(\w)/\U$1/g;
    $r = call(Internal => $m, "${t}Request", []);
    ok(scalar $r->{xml} =~ m{<${m}Response xmlns="[^"]+"><${t}Response xsi:type="ns:${t}Response" /></${m}Response>}, "deprecated $m: empty ${t}Response")
        or print "#   $r->{xml}\n";
}

# =============================================================================
# Callmon
my $C = $D{callmon};
$r = call(Callmon => 'get_customer_stats', 'GetCustomerStatsRequest', [ int_(i_customer => 1001) ]);
is($r->{res}{CustomerStats}{payperhour}, '12.3400000001', 'CustomerStats is one struct; amount text kept');
ok(scalar $r->{xml} =~ m{<CustomerStats xsi:type="ns:CustomerStats"><callsperhour xsi:type="xsd:int">}, 'CustomerStats wire shape');
$r = call(Callmon => 'get_customer_stats', 'GetCustomerStatsRequest', [ int_(i_direct_customer => 1002), int_(i_customer => 1001) ]);
fault_is($r, 'Server.Callmon.get_customer_stats.not_found', 'customer of another reseller');
fault_is(call(Callmon => 'get_customer_stats', 'GetCustomerStatsRequest', []), 'Server.Callmon.get_customer_stats.missing_i_customer', 'no customer');
$r = call(Callmon => 'get_customer_stats_by_days', 'GetCustomerStatsByDaysRequest', [ int_(i_customer => 1001) ]);
my @bd = list($r->{res}{CustomerStatsByDays});
is(scalar @bd, 14, 'by days: 14 rows');
is($bd[0]{date}, '2026-11-19 00:00:00', 'date as YYYY-MM-DD HH:MM:SS');
is($bd[0]{pay}, '0.123456789', 'pay text');
$r = call(Callmon => 'get_customer_stats_lastdays', 'GetCustomerStatsLastdaysRequest', [ int_(i_customer => 1003), int_(number_of_days => 3) ]);
is(join(',', map { substr $_->{date}, 0, 10 } list($r->{res}{list})), '2026-11-30,2026-12-01,2026-12-02', 'last 3 days');
ok(scalar $r->{xml} =~ m{<name xsi:type="xsd:string">Initech Téléphonie</name>}, 'name explicit string');
fault_is(call(Callmon => 'get_customer_stats_lastdays', 'GetCustomerStatsLastdaysRequest', [ int_(i_customer => 1003), int_(number_of_days => 0) ]),
    'Server.Callmon.get_customer_stats_lastdays.bad_number_of_days', 'number_of_days 0');
$r = call(Callmon => 'get_customer_stats_eachday', 'GetCustomerStatsEachdayRequest', [ int_(i_direct_customer => 1002) ]);
is(scalar(list($r->{res}{CustomerStatsEachday})), 7, 'eachday: 7 rows');
$r = call(Callmon => 'get_customers_stats', 'GetCustomersStatsRequest', [ int_(i_env => 46), str_(from_date => '2026-11-01 00:00:00'), str_(to_date => '2026-11-30 23:59:59') ]);
is(scalar(list($r->{res}{CustomersStats})), 4, 'customers stats: 4 rows');
$r = call(Callmon => 'get_customers_stats', 'GetCustomersStatsRequest', [ int_(min_calls => 1), str_(total => 'Y') ]);
my @cs = grep { $_->{calls} >= 1 } @{ $C->{customers_stats} };
my ($tot) = list($r->{res}{CustomersStats});
my $sum = 0; $sum += $_->{calls} for @cs;
is($tot->{calls}, $sum, 'total=Y sums calls (min_calls 1)');
fault_is(call(Callmon => 'get_customers_stats', 'GetCustomersStatsRequest', [ str_(from_date => '2026-12-01'), str_(to_date => '2026-11-01') ]),
    'Server.Callmon.get_customers_stats.bad_to_date', 'to before from');
$r = call(Callmon => 'get_vendor_list', 'GetVendorListRequest', [ int_(i_env => 46) ]);
is(join(',', map { $_->{i_vendor} } list($r->{res}{list})), '201,202,203', 'vendor list');
ok(scalar $r->{xml} =~ m{<list soapenc:arrayType="ns:VendorInfo\[3\]"}, 'vendor list wire shape');
$r = call(Callmon => 'get_vendor_info', 'GetVendorInfoRequest', [ int_(i_vendor => 203) ]);
is(utf8_text($r->{res}{VendorInfo}{companyname}), 'Québec Téléphone inc.', 'VendorInfo is one struct (base64 decoded)');
ok(scalar $r->{xml} =~ m{<companyname xsi:type="xsd:base64Binary">}, 'non-ASCII companyname is base64Binary');
fault_is(call(Callmon => 'get_vendor_info', 'GetVendorInfoRequest', [ int_(i_vendor => 999) ]), 'Server.Callmon.get_vendor_info.not_found', 'unknown vendor');
$r = call(Callmon => 'get_connection_list', 'GetConnectionListRequest', [ int_(i_vendor => 201) ]);
is(join(',', map { $_->{i_connection} } list($r->{res}{list})), '4001,4002', 'connections of 201');
$r = call(Callmon => 'get_connection_info', 'GetConnectionInfoRequest', [ int_(i_vendor => 203) ]);
is($r->{res}{ConnectionInfo}{i_connection}, 4004, 'ConnectionInfo: first connection of the vendor');
ok(scalar $r->{xml} =~ m{<port xsi:type="xsd:int">5060</port>}, 'port autotyped');
$r = call(Callmon => 'get_vendor_stats_by_days', 'GetVendorStatsByDaysRequest', [ int_(i_connection => 4003) ]);
my @vs = list($r->{res}{VendorStatsByDays});
is(scalar @vs, 7, 'vendor stats by days');
ok(scalar $vs[0]{bill_time} =~ /^\d{4}-\d\d-\d\d 00:00:00$/, 'bill_time is a date-time string');
$r = call(Callmon => 'get_connections_stats', 'GetConnectionsStatsRequest', [ int_(i_vendor => 201) ]);
is(scalar(list($r->{res}{ConnectionsStats})), 2, 'connections stats of 201');
$r = call(Callmon => 'get_connection_stats', 'GetConnectionStatsRequest', []);
ok(scalar $r->{xml} =~ m{<GetConnectionStatsResponse xsi:type="ns:GetConnectionStatsResponse" />}, 'deprecated get_connection_stats');
$r = call(Callmon => 'save_profile', 'SaveProfileRequest', [ str_(name => 'Peak hours') ]);
my @pl = list($r->{res}{list});
is(join(',', map { $_->{i_profile} } @pl), '1,2,4', 'save_profile: new profile 4 of the caller');
is($pl[-1]{data}, '2026-12-03 09:00:00', 'stamped by the clock');
$r = call(Callmon => 'save_profile', 'SaveProfileRequest', [ str_(name => 'Peak hours'), m_(data => 'xsd:dateTime', '2000-01-01 00:00:00') ]);
is((list($r->{res}{list}))[-1]{ts}, '2026-12-03 09:00:01', 'save again updates; read-only data ignored');
$r = call(Callmon => 'load_profile', 'LoadProfileRequest', [ int_(i_profile => 4) ]);
is((list($r->{res}{list}))[0]{name}, 'Peak hours', 'load_profile by id');
$r = call(Callmon => 'load_profile', 'LoadProfileRequest', [ str_(login => 'noc-viewer') ]);
is(join(',', map { $_->{i_profile} } list($r->{res}{list})), '3', 'load_profile by login');
$r = call(Callmon => 'load_profile', 'LoadProfileRequest', [ m_(prof_data => 'xsd:dateTime', '2026-12-01 00:00:00') ]);
is(join(',', map { $_->{i_profile} } list($r->{res}{list})), '2,4', 'load_profile updated since');
$r = call(Callmon => 'delete_profile', 'DeleteProfileRequest', [ int_(i_profile => 4) ]);
ok(!$r->{fault} && scalar $r->{xml} =~ m{<delete_profileResponse xmlns="[^"]+" xsi:nil="true" />}, 'delete_profile: no value');
fault_is(call(Callmon => 'load_profile', 'LoadProfileRequest', [ int_(i_profile => 4) ]), 'Server.Callmon.load_profile.not_found', 'deleted profile');

# =============================================================================
# LS_Conference
$r = call(LS_Conference => 'get_room_list', 'GetConferenceRoomListRequest', [ int_(i_account => 50001) ]);
is(join(',', map { $_->{i_room} } list($r->{res}{room_list})), '801,802', 'rooms of 50001');
ok(scalar $r->{xml} =~ m{<pin xsi:type="xsd:string">0417</pin>}, 'leading-zero pin autotyped xsd:string');
ok(scalar $r->{xml} =~ m{<start_time xsi:type="xsd:string">2026-12-07 15:00:00</start_time>}, 'start_time date-time');
$r = call(LS_Conference => 'add_room', 'AddConferenceRoomRequest', [ m_(room_info => 'ns:ConferenceRoomInfo', [
    int_(i_account => 50002), str_(name => 'Stand-up'), int_(pin => 2468), m_(start_time => 'xsd:date', '2026-12-10'), str_(record => 'Y') ]) ]);
is($r->{res}{i_room}, 805, 'add_room -> 805');
$r = call(LS_Conference => 'get_room_info', 'GetConferenceRoomInfoRequest', [ int_(i_room => 805) ]);
my $ri = $r->{res}{room_info};
is(join('|', map { $ri->{$_} // 'nil' } qw(name pin start_time record mute play_moh i_env)), 'Stand-up|2468|2026-12-10 00:00:00|Y|0|Y|46', 'new room with defaults');
$r = call(LS_Conference => 'update_room', 'UpdateConferenceRoomRequest', [ m_(room_info => 'ns:ConferenceRoomInfo', [
    int_(i_room => 805), str_(name => 'Daily stand-up'), int_(mute => 2), m_(start_time => 'xsd:dateTime', '2026-12-10T09:15:00Z') ]) ]);
is($r->{res}{success}, 1, 'update_room success 1');
ok(scalar $r->{xml} =~ m{<success xsi:type="xsd:int">1</success>}, 'success autotyped xsd:int');
$r = call(LS_Conference => 'get_room_info', 'GetConferenceRoomInfoRequest', [ int_(i_room => 805) ]);
is(join('|', map { $r->{res}{room_info}{$_} } qw(name mute start_time pin)), 'Daily stand-up|2|2026-12-10 09:15:00|2468', 'update reflected');
fault_is(call(LS_Conference => 'update_room', 'UpdateConferenceRoomRequest', [ m_(room_info => 'ns:ConferenceRoomInfo', [ int_(i_room => 805), str_(record => 'X') ]) ]),
    'Server.LS_Conference.update_room.bad_record', 'record X');
fault_is(call(LS_Conference => 'update_room', 'UpdateConferenceRoomRequest', [ m_(room_info => 'ns:ConferenceRoomInfo', [ int_(i_room => 805), int_(mute => 4) ]) ]),
    'Server.LS_Conference.update_room.bad_mute', 'mute 4');
fault_is(call(LS_Conference => 'add_room', 'AddConferenceRoomRequest', [ m_(room_info => 'ns:ConferenceRoomInfo', [ int_(i_account => 50002), int_(pin => 1234) ]) ]),
    'Server.LS_Conference.add_room.missing_name', 'add without name');
fault_is(call(LS_Conference => 'add_room', 'AddConferenceRoomRequest', []), 'Server.LS_Conference.add_room.missing_room_info', 'add without room_info');
fault_is(call(LS_Conference => 'add_room', 'AddConferenceRoomRequest', [ m_(room_info => 'ns:ConferenceRoomInfo', [ int_(i_account => 1), str_(name => 'x'), int_(pin => 1234) ]) ]),
    'Server.LS_Conference.add_room.not_found', 'add for unknown account');
$r = call(LS_Conference => 'get_room_recordings', 'GetConferenceRoomRecordingsRequest', [ int_(i_room => 801), int_(offset => 1), int_(limit => 2) ]);
is(join(',', map { $_->{filename} } list($r->{res}{recordings_list})), '801_2026-11-23_150003.mp3,801_2026-11-30_145958.mp3', 'recordings offset/limit');
ok(scalar $r->{xml} =~ m{<url_to_download xsi:type="xsd:string">https://}, 'https URL autotyped xsd:string (SOAP::Lite types only http:// and urn: as anyURI)');
$r = call(LS_Conference => 'delete_room_recording', 'DeleteConferenceRoomRecordingRequest', [ int_(i_room => 801), str_(filename => '801_2026-11-23_150003.mp3') ]);
is($r->{res}{success}, 1, 'delete_room_recording');
$r = call(LS_Conference => 'get_room_recordings', 'GetConferenceRoomRecordingsRequest', [ int_(i_room => 801) ]);
is(scalar(list($r->{res}{recordings_list})), 3, '... one fewer');
fault_is(call(LS_Conference => 'delete_room_recording', 'DeleteConferenceRoomRecordingRequest', [ int_(i_room => 801), str_(filename => 'nope.mp3') ]),
    'Server.LS_Conference.delete_room_recording.not_found', 'unknown recording');
$r = call(LS_Conference => 'delete_room', 'DeleteConferenceRoomRequest', [ int_(i_room => 803) ]);
is($r->{res}{success}, 1, 'delete_room');
$r = call(LS_Conference => 'get_room_recordings', 'GetConferenceRoomRecordingsRequest', [ int_(i_account => 50002) ]);
ok(scalar $r->{xml} =~ m{<recordings_list soapenc:arrayType="xsd:anyType\[0\]"}, "deleted room's recordings are gone");
fault_is(call(LS_Conference => 'get_room_info', 'GetConferenceRoomInfoRequest', [ int_(i_room => 803) ]), 'Server.LS_Conference.get_room_info.not_found', 'deleted room');

# =============================================================================
# Queues
$r = call(Queues => 'get_queue_calls', 'GetQueueCallsRequest', [ int_(i_queue => 301) ]);
my @qc = list($r->{res}{queue_calls});
is(scalar @qc, 4, 'queue 301 calls');
ok(scalar $r->{xml} =~ m{<queue_calls soapenc:arrayType="ns:QueueCallInfo\[4\]"}, 'queue_calls wire shape');
ok(scalar $r->{xml} =~ m{<connect_time xsi:type="xsd:time">00:02:17</connect_time>}, 'connect_time autotyped xsd:time');
$r = call(Queues => 'get_queue_calls', 'GetQueueCallsRequest', [ int_(i_queue => 303) ]);
ok(scalar $r->{xml} =~ m{<queue_calls soapenc:arrayType="xsd:anyType\[0\]"}, 'empty queue');
fault_is(call(Queues => 'get_queue_calls', 'GetQueueCallsRequest', [ int_(i_queue => 1) ]), 'Server.Queues.get_queue_calls.not_found', 'unknown queue');
fault_is(call(Queues => 'get_queue_calls', 'GetQueueCallsRequest', []), 'Server.Queues.get_queue_calls.missing_i_queue', 'no i_queue');

print "1..$n\n", ($failed ? "# $failed of $n FAILED\n" : "# all $n passed\n");
exit($failed ? 1 : 0);

# Exact decimal comparison, for the expected order of price sorts.
sub Stub_dec_cmp {
    my ($x, $y) = @_;
    my ($ix, $fx) = split /\./, "$x.";
    my ($iy, $fy) = split /\./, "$y.";
    $fx //= ''; $fy //= '';
    my $l = length $fx > length $fy ? length $fx : length $fy;
    return ($ix . ($fx . '0' x ($l - length $fx))) <=> ($iy . ($fy . '0' x ($l - length $fy)))
        if length($ix) + $l < 16;
    return $x <=> $y;
}
