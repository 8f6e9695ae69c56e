# Porta::SOAP::Callmon - https://<host>/Porta/SOAP/Callmon, following
# wsdl-snapshots/CallmonAdminService.wsdl and the reference document.
# Data: data/callmon.json. See README.md.
package Stub::Callmon;

use strict;
use warnings;

BEGIN {
    no strict 'refs';
    *{"Stub::Callmon::$_"} = \&{"Stub::Util::$_"} for qw(
        req_int opt_int req_str opt_str opt_enum opt_datetime missing bad not_found fail
        struct array empty_struct dec_sum given);
}

our $DATA;     # decoded callmon.json (profiles are changed in place)
our $CLOCK;

our @CUSTOMER_STATS = qw(callsperhour callsperday callsperweek payperhour payperday payperweek
    profitperhour profitperday profitperweek sucperhour sucperday sucperweek durationperday
    durationperhour durationperweek);
our @BY_DAYS  = qw(i_customer name:s date calls acd asr pay profit);
our @EACHDAY  = qw(durationperday_i asrperday_i acdperday_i callsperday_i sucperday_i failperday_i
    durationperweek asrperweek acdperweek callsperweek sucperweek failperweek);
our @CUSTOMERS_STATS   = qw(calls successful_calls failed_calls charge profit duration);
our @CONNECTIONS_STATS = qw(calls successful_calls failed_calls charge profit duration);
our @VENDOR_INFO = qw(i_vendor name:s iso_4217 opening_balance i_acl i_time_zone i_lang
    i_billing_period companyname salutation firstname midinit lastname baddr1 baddr2 baddr3 baddr4
    baddr5 city state zip country note cont1 phone1 faxnum phone2 cont2 login password email
    out_date_format out_time_format out_date_time_format in_date_format in_time_format i_customer
    offset_threshold);
our @CONNECTION_INFO = qw(i_connection i_vendor vendor_name description i_node i_tariff call_origin
    call_type port CLD i_env cld_translation_rule remote_ip capacity asr i_vendor_acc
    outgoing_cld_translation_rule i_oli sip:s h323:s cli_translation_rule rtpp_level clir_method
    i_service_type);
our @VENDOR_STATS = qw(i_connection bill_time calls acd asr pay profit);
our @PROFILE      = qw(i_profile name:s login data ts);

sub load {
    my ($path) = @_;
    $DATA = Stub::Util::load_json($path);
    for my $key (qw(i_env clock_start customers customer_stats customer_stats_by_days
        customer_stats_eachday customers_stats vendors connections vendor_stats_by_days
        connections_stats profiles)) {
        die "data file $path: missing '$key'\n" unless exists $DATA->{$key};
    }
    $CLOCK = Stub::Util::Clock->new($DATA->{clock_start});
}

sub find {
    my ($list, $key, $v) = @_;
    for (@$list) { return $_ if defined $_->{$key} && $_->{$key} == $v }
    return undef;    ## no critic
}

sub check_env {
    my ($req) = @_;
    my $env = opt_int($req, 'i_env');
    bad('i_env', $env, "this environment is $DATA->{i_env}") if defined $env && $env != $DATA->{i_env};
}

# --- Access to Customer Information (Callmon part) -----------------------------

# The customer the statistics are about: i_customer (which must belong to
# i_direct_customer when both are given), else the reseller i_direct_customer.
# max_calls_per_week and groupby are validated but change nothing.
sub stats_customer {
    my ($req) = @_;
    opt_int($req, 'max_calls_per_week', min => 0);
    opt_str($req, 'groupby');
    my $reseller = opt_int($req, 'i_direct_customer');
    if (defined $reseller) {
        find($DATA->{customers}, i_customer => $reseller) or not_found("Reseller $reseller");
        bad('i_direct_customer', $reseller, 'not a reseller')
            unless grep { ($_->{i_parent} // 0) == $reseller } @{ $DATA->{customers} };
    }
    if (defined(my $ic = opt_int($req, 'i_customer'))) {
        my $c = find($DATA->{customers}, i_customer => $ic) or not_found("Customer $ic");
        not_found("Customer $ic of reseller $reseller")
            if defined $reseller && ($c->{i_parent} // 0) != $reseller;
        return $ic;
    }
    return $reseller if defined $reseller;
    missing('i_customer');
}

sub rows_of { my ($key, $ic) = @_; return grep { $_->{i_customer} == $ic } @{ $DATA->{$key} } }

sub get_customer_stats {
    my ($req) = @_;
    my $ic = stats_customer($req);
    my ($s) = rows_of(customer_stats => $ic);
    return Stub::struct(GetCustomerStatsResponse => 'GetCustomerStatsResponse',
        struct(CustomerStats => 'CustomerStats', \@CUSTOMER_STATS, $s));
}

sub get_customer_stats_by_days {
    my ($req) = @_;
    my $ic = req_int($req, 'i_customer');
    find($DATA->{customers}, i_customer => $ic) or not_found("Customer $ic");
    return Stub::struct(GetCustomerStatsByDaysResponse => 'GetCustomerStatsByDaysResponse',
        array(CustomerStatsByDays => 'CustomerStatsByDays', \@BY_DAYS, rows_of(customer_stats_by_days => $ic)));
}

sub get_customer_stats_lastdays {
    my ($req) = @_;
    my $ic = stats_customer($req);
    my $n = opt_int($req, 'number_of_days', min => 1) // 7;
    my @rows = rows_of(customer_stats_by_days => $ic);
    @rows = @rows[ $#rows - $n + 1 .. $#rows ] if @rows > $n;
    return Stub::struct(GetCustomerStatsLastdaysResponse => 'GetCustomerStatsLastdaysResponse',
        array(list => 'CustomerStatsByDays', \@BY_DAYS, @rows));
}

sub get_customer_stats_eachday {
    my ($req) = @_;
    my $ic = stats_customer($req);
    return Stub::struct(GetCustomerStatsEachdayResponse => 'GetCustomerStatsEachdayResponse',
        array(CustomerStatsEachday => 'CustomerStatsEachday', \@EACHDAY, rows_of(customer_stats_eachday => $ic)));
}

# Filters shared by get_customers_stats and get_connections_stats. Returns
# (min_calls, total flag).
sub stats_filters {
    my ($req) = @_;
    check_env($req);
    my $iso = opt_str($req, 'iso_3166_1_a2');
    bad('iso_3166_1_a2', $iso, 'a two-letter country code') if defined $iso && $iso !~ /^[A-Za-z]{2}$/;
    opt_int($req, 'destination', min => 0);
    opt_str($req, 'groupby');
    my $from = opt_datetime($req, 'from_date');
    my $to   = opt_datetime($req, 'to_date');
    bad('to_date', $to, "before from_date ($from)") if defined $from && defined $to && $to lt $from;
    my $min = opt_int($req, 'min_calls', min => 0) // 0;
    my $total = opt_enum($req, 'total', [qw(Y N 1 0)], ci => 1) // 'N';
    return ($min, ($total eq 'Y' || $total eq '1') ? 1 : 0);
}

# One row summing @rows member by member (exact decimals; ints stay ints).
sub summed {
    my ($spec, @rows) = @_;
    return { map { my $m = $_; ($m => dec_sum(map { $_->{$m} } @rows)) } @$spec };
}

sub get_customers_stats {
    my ($req) = @_;
    my ($min, $total) = stats_filters($req);
    my $ic = opt_int($req, 'i_customer');
    find($DATA->{customers}, i_customer => $ic) or not_found("Customer $ic") if defined $ic;
    my @rows = sort { $a->{i_customer} <=> $b->{i_customer} }
        grep { (!defined $ic || $_->{i_customer} == $ic) && $_->{calls} >= $min } @{ $DATA->{customers_stats} };
    @rows = (summed(\@CUSTOMERS_STATS, @rows)) if $total && @rows;
    return Stub::struct(GetCustomersStatsResponse => 'GetCustomersStatsResponse',
        array(CustomersStats => 'CustomersStats', \@CUSTOMERS_STATS, @rows));
}

# --- Access to Vendor Information (Callmon part) -------------------------------

sub vendor {
    my ($req, %o) = @_;
    my $iv = $o{required} ? req_int($req, 'i_vendor') : opt_int($req, 'i_vendor');
    return undef unless defined $iv;    ## no critic
    return find($DATA->{vendors}, i_vendor => $iv) || not_found("Vendor $iv");
}

sub connections_of {
    my ($iv) = @_;
    return sort { $a->{i_connection} <=> $b->{i_connection} }
        grep { !defined $iv || $_->{i_vendor} == $iv } @{ $DATA->{connections} };
}

sub get_vendor_list {
    my ($req) = @_;
    check_env($req);
    my @v = sort { $a->{i_vendor} <=> $b->{i_vendor} } @{ $DATA->{vendors} };
    return Stub::struct(GetVendorListResponse => 'GetVendorListResponse',
        array(list => 'VendorInfo', \@VENDOR_INFO, @v));
}

sub get_vendor_info {
    my ($req) = @_;
    check_env($req);
    my $v = vendor($req, required => 1);
    return Stub::struct(GetVendorInfoResponse => 'GetVendorInfoResponse',
        struct(VendorInfo => 'VendorInfo', \@VENDOR_INFO, $v));
}

sub get_connection_list {
    my ($req) = @_;
    check_env($req);
    my $v = vendor($req);
    return Stub::struct(GetConnectionListResponse => 'GetConnectionListResponse',
        array(list => 'ConnectionInfo', \@CONNECTION_INFO, connections_of($v ? $v->{i_vendor} : undef)));
}

# The request names a vendor, not a connection: the vendor's first
# connection (lowest i_connection) is returned.
sub get_connection_info {
    my ($req) = @_;
    check_env($req);
    my $v = vendor($req, required => 1);
    my ($c) = connections_of($v->{i_vendor});
    not_found("Connection of vendor $v->{i_vendor}") unless $c;
    return Stub::struct(GetConnectionInfoResponse => 'GetConnectionInfoResponse',
        struct(ConnectionInfo => 'ConnectionInfo', \@CONNECTION_INFO, $c));
}

sub get_vendor_stats_by_days {
    my ($req) = @_;
    my $icn = req_int($req, 'i_connection');
    find($DATA->{connections}, i_connection => $icn) or not_found("Connection $icn");
    my @rows = grep { $_->{i_connection} == $icn } @{ $DATA->{vendor_stats_by_days} };
    return Stub::struct(GetVendorStatsByDaysResponse => 'GetVendorStatsByDaysResponse',
        array(VendorStatsByDays => 'VendorStatsByDays', \@VENDOR_STATS, @rows));
}

sub get_connections_stats {
    my ($req) = @_;
    my ($min, $total) = stats_filters($req);
    my $v = vendor($req);
    my $icn = opt_int($req, 'i_connection');
    find($DATA->{connections}, i_connection => $icn) or not_found("Connection $icn") if defined $icn;
    my $ic = opt_int($req, 'i_customer');    # validated; the fake statistics are not per customer
    my %in = map { $_->{i_connection} => 1 }
        grep { !defined $icn || $_->{i_connection} == $icn } connections_of($v ? $v->{i_vendor} : undef);
    my @rows = sort { $a->{i_connection} <=> $b->{i_connection} }
        grep { $in{ $_->{i_connection} } && $_->{calls} >= $min } @{ $DATA->{connections_stats} };
    @rows = (summed(\@CONNECTIONS_STATS, @rows)) if $total && @rows;
    return Stub::struct(GetConnectionsStatsResponse => 'GetConnectionsStatsResponse',
        array(ConnectionsStats => 'ConnectionsStats', \@CONNECTIONS_STATS, @rows));
}

# --- Access to Call Monitor Configuration ---------------------------------------

sub profiles_of {
    my ($login) = @_;
    return sort { $a->{i_profile} <=> $b->{i_profile} } grep { $_->{login} eq $login } @{ $DATA->{profiles} };
}

# name (required) and login (default: the caller's) identify the profile;
# saving an existing one updates it. data and ts are read-only: ignored in
# the request, stamped by the server.
sub save_profile {
    my ($req) = @_;
    my $name = req_str($req, 'name');
    my $login = opt_str($req, 'login') // $Stub::Util::CTX->{login};
    missing('login') unless defined $login && length $login;
    my ($p) = grep { $_->{login} eq $login && $_->{name} eq $name } @{ $DATA->{profiles} };
    unless ($p) {
        my $next = 0;
        $next < $_->{i_profile} and $next = $_->{i_profile} for @{ $DATA->{profiles} };
        $p = { i_profile => $next + 1, name => $name, login => $login };
        push @{ $DATA->{profiles} }, $p;
    }
    $p->{data} = $p->{ts} = $CLOCK->tick;
    Stub::log_msg("callmon profile $p->{i_profile} saved");
    return Stub::struct(SaveProfileResponse => 'SaveProfileResponse',
        array(list => 'ProfileInfo', \@PROFILE, profiles_of($login)));
}

sub load_profile {
    my ($req) = @_;
    my $since = opt_datetime($req, 'prof_data');
    my @rows;
    if (defined(my $id = opt_int($req, 'i_profile'))) {
        @rows = (find($DATA->{profiles}, i_profile => $id) || not_found("Profile $id"));
    }
    else {
        my $login = opt_str($req, 'login') // $Stub::Util::CTX->{login} // '';
        my $name = opt_str($req, 'name');
        @rows = grep { !defined $name || $_->{name} eq $name } profiles_of($login);
    }
    @rows = grep { $_->{data} ge $since } @rows if defined $since;
    return Stub::struct(LoadProfileResponse => 'LoadProfileResponse',
        array(list => 'ProfileInfo', \@PROFILE, @rows));
}

# No return value (the document gives none): like Session/logout, SOAP::Lite
# then writes <delete_profileResponse xsi:nil="true"/>.
sub delete_profile {
    my ($req) = @_;
    my $id = req_int($req, 'i_profile');
    my $list = $DATA->{profiles};
    my @keep = grep { $_->{i_profile} != $id } @$list;
    not_found("Profile $id") if @keep == @$list;
    @$list = @keep;
    return;
}

Stub::Util::install('Porta::SOAP::Callmon', 'Callmon', {
    get_connection_stats => sub { empty_struct('GetConnectionStatsResponse') },    # deprecated
    map { $_ => \&{"Stub::Callmon::$_"} } qw(
        get_customer_stats get_customer_stats_by_days get_customer_stats_lastdays
        get_customer_stats_eachday get_customers_stats get_vendor_list get_vendor_info
        get_connection_list get_connection_info get_vendor_stats_by_days get_connections_stats
        save_profile load_profile delete_profile),
});

1;
