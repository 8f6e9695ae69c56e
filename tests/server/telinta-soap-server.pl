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
#        [--ignore-stdin] [--verbose]
#
# Once listening it prints exactly one line "LISTENING <port>" on stdout.
# It exits on SIGTERM/SIGINT and when its stdin reaches EOF (the parent test
# process died or closed the pipe), unless --ignore-stdin is given.
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
use Socket qw(IPPROTO_TCP TCP_NODELAY SHUT_WR);

use HTTP::Daemon;
use HTTP::Response;
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
    host     => '127.0.0.1',
    port     => 0,
    data     => File::Spec->catfile($HERE, 'data', 'didapi.json'),
    data_dir => File::Spec->catdir($HERE, 'data'),
);
GetOptions(
    'host=s'       => \$opt{host},
    'port=i'       => \$opt{port},
    'data=s'       => \$opt{data},
    'data-dir=s'   => \$opt{data_dir},
    'login=s'      => \$Stub::CRED{login},
    'password=s'   => \$Stub::CRED{password},
    'token=s'      => \$Stub::CRED{token},
    'ignore-stdin' => \$opt{ignore_stdin},
    'verbose'      => \$Stub::VERBOSE,
) or die "usage: $0 [--host H] [--port N] [--data PATH] [--data-dir DIR] [--login L] "
    . "[--password P] [--token T] [--ignore-stdin] [--verbose]\n";

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

my $daemon = HTTP::Daemon->new(
    LocalAddr => $opt{host},
    LocalPort => $opt{port},    # 0: the kernel picks a free port
    ReuseAddr => 1,
    Listen    => 128,
) or die "cannot listen on $opt{host}:$opt{port}: $@\n";

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

my $select = IO::Select->new($daemon);
$select->add(\*STDIN) unless $opt{ignore_stdin};

while (1) {
    for my $fh ($select->can_read) {
        if (fileno($fh) == fileno($daemon)) {
            serve_one_connection($daemon);
        }
        else {
            # Anything on stdin is ignored; EOF (or an error) means the parent
            # is gone, so we go too.
            my $n = sysread(STDIN, my $buf, 4096);
            if (!$n) {
                next if !defined $n && $!{EINTR};
                Stub::log_msg('stdin closed, exiting');
                exit 0;
            }
        }
    }
}

# One request per connection, then close: single process, no fork, so the
# in-memory state is shared by all requests.
sub serve_one_connection {
    my ($daemon) = @_;
    my $conn = $daemon->accept or return;
    # HTTP::Daemon prints the status line, each header and the body as separate
    # small writes; with Nagle on, the body waits for the client's delayed ACK
    # (~40 ms per call on Linux loopback).
    setsockopt($conn, IPPROTO_TCP, TCP_NODELAY, 1);
    $conn->timeout(10);    # a stalled client cannot hang the server for ever

    # get_request reads exactly one request (Content-Length or chunked) and
    # answers "Expect: 100-continue"; we never read a second one, so a client
    # asking for keep-alive is fine.
    my $request = $conn->get_request;
    if ($request) {
        $soap->request($request);
        $soap->handle;
        my $response = $soap->response
            || HTTP::Response->new(500, 'No response from SOAP handler');
        $response->header(Connection => 'close');
        $conn->force_last_request;
        $conn->send_response($response);
    }
    else {
        Stub::log_msg('bad request: ' . ($conn->reason // 'connection closed'));
    }

    # Close gracefully: send FIN first, then drop whatever the client may have
    # sent beyond the request (e.g. a stray CRLF), because closing a socket
    # with unread input makes Linux send RST, which can destroy the response
    # before the client has read it.
    shutdown($conn, SHUT_WR);
    $conn->blocking(0);
    1 while sysread($conn, my $junk, 65536);
    close $conn;
}
