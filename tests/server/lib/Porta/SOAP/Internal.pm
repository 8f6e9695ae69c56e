# Porta::SOAP::Internal - https://<host>/Porta/SOAP/Internal, following
# wsdl-snapshots/InternalAdminService.wsdl and the reference document
# (telinta-soap-additions.txt). Data: data/internal.json. See README.md.
#
# The dispatched package Porta::SOAP::Internal gets exactly one sub per
# operation (Stub::Util::install); the implementation lives in Stub::Internal.
package Stub::Internal;

use strict;
use warnings;

BEGIN {
    no strict 'refs';
    *{"Stub::Internal::$_"} = \&{"Stub::Util::$_"} for qw(
        req_int opt_int req_str opt_str req_enum opt_enum opt_decimal opt_datetime
        missing bad not_found fail struct array array_value empty_struct members
        dec_sub dec_mul dec_cmp like_match ipv4_to_int ipv4_in_cidr looks_like_email given);
}

our $DATA;      # decoded internal.json (mutated in place by the write methods)
our $CLOCK;     # Stub::Util::Clock
our ($AUTH_KEY, $TXN, $INVOICE);    # TransferTo / PrepayNation counters

# --- wire specs (WSDL member order; ':s' = explicit xsd:string) ---------------

our @RATE_INFO = qw(i_dest effective_from i_tariff i_rate interval_1 interval_n price_1 price_n
    op_interval_1 op_interval_n op_price_1 op_price_n hidden:s discontinued:s forbidden:s
    preference huntstop:s formula route_category op_route_category op_preference op_huntstop:s
    active:s description country destination);
our %RATE_FIELD = map { (split /:/)[0] => 1 } @RATE_INFO;
our %RATE_NUMERIC = map { $_ => 1 } qw(i_dest i_tariff i_rate interval_1 interval_n price_1 price_n
    op_interval_1 op_interval_n op_price_1 op_price_n preference route_category op_route_category
    op_preference);

our @TARIFF_BINDING  = qw(i_ttb i_tariff i_tariff_template email_from email_key disabled:s);
our @TARIFF_TEMPLATE = qw(i_tariff_template name:s type:s i_customer);
our @STATS_FILE      = qw(date filename);
our @VDP_HISTORY     = qw(threshold discount_start_date used destination_group i_cvd_counter service
    discount_reset_date);
our @OWNER_BATCH     = qw(i_do_batch name:s i_customer);
our @ACCESSIBILITY   = qw(i_accessibility i_tariff);
our @ROUTING_TARIFF  = qw(i_routing_plan i_tariff);
our @TRANSFERTO = qw(authentication_key country countryid error_code error_txt operator operatorid
    connection_status destination_msisdn destination_currency product_list service_fee_list
    retail_price_list wholesale_price_list local_info_amount_list local_info_value_list
    local_info_currency promotion promo_start promo_end msisdn originating_currency
    product_requested actual_product_sent send_sms sms wholesale_price service_fee retail_price
    transactionid cid1 cid2 cid3 reference_operator local_info_amount local_info_value
    return_timestamp return_version balance);
our @PREPAYNATION  = qw(skuId FaceValue MinAmount MaxAmount Version ResponseCode ResponseMessage
    Invoice Topup);
our @PN_SKU        = qw(skuId FaceValue MinAmount MaxAmount);
our @ORDER_INVOICE = qw(InvoiceNumber TransactionDateTime InvoiceAmount FaceValueAmount Cards);
our @PN_CARD       = qw(skuId FaceValue Pin);
our @PN_TOPUP      = qw(skuId mobile senderMobile amount);

sub load {
    my ($path) = @_;
    $DATA = Stub::Util::load_json($path);
    for my $key (qw(i_env clock_start customers accounts users ip_restrictions tariffs rates
        tariff_templates tariff_bindings accessibilities routing_tariffs stats_files vendors
        vdp_counter_history owner_batches transferto prepaynation)) {
        die "data file $path: missing '$key'\n" unless exists $DATA->{$key};
    }
    $CLOCK    = Stub::Util::Clock->new($DATA->{clock_start});
    $AUTH_KEY = $DATA->{transferto}{authentication_key_start};
    $TXN      = $DATA->{transferto}{transactionid_start};
    $INVOICE  = $DATA->{prepaynation}{invoice_start};
}

sub find {
    my ($list, $key, $v) = @_;
    for (@$list) { return $_ if defined $_->{$key} && $_->{$key} == $v }
    return undef;    ## no critic (explicit undef: callers use list context too)
}
sub customer { find($DATA->{customers}, i_customer => $_[0]) }
sub account  { find($DATA->{accounts},  i_account  => $_[0]) }
sub tariff   { find($DATA->{tariffs},   i_tariff   => $_[0]) }

# i_env, when given, must be this server's environment.
sub check_env {
    my ($req) = @_;
    my $env = opt_int($req, 'i_env');
    bad('i_env', $env, "this environment is $DATA->{i_env}") if defined $env && $env != $DATA->{i_env};
}

# --- Access to Destination Information ---------------------------------------

# The destination of the environment that is the longest prefix of `prefix`.
sub get_destination {
    my ($req) = @_;
    check_env($req);
    my $prefix = req_int($req, 'prefix', min => 0);
    my $best;
    for my $r (@{ $DATA->{rates} }) {
        my $d = $r->{destination};
        next unless index($prefix, $d) == 0;
        $best = $d if !defined $best || length $d > length $best;
    }
    not_found("Destination for prefix $prefix") unless defined $best;
    return struct(GetDestinationResponse => 'GetDestinationResponse', ['destination'], { destination => $best });
}

# --- Access to Tariff Information --------------------------------------------

sub null_cmp {
    my ($x, $y, $numeric) = @_;
    return 0 if !defined $x && !defined $y;
    return -1 unless defined $x;    # NULL first in ASC, as MySQL does
    return 1 unless defined $y;
    return $numeric ? dec_cmp($x, $y) : ($x cmp $y);
}

sub get_rates_list {
    my ($req) = @_;
    my $i_tariff = req_int($req, 'i_tariff');
    tariff($i_tariff) or not_found("Tariff $i_tariff");
    my $i_rate = opt_int($req, 'i_rate');
    my @filters;
    for my $n ('', '1', '2') {
        my $type = opt_enum($req, "type$n", [qw(destination country description)]);
        my $tmpl = opt_str($req, "tmpl$n");
        next unless defined $tmpl;
        missing("type$n") unless defined $type;
        push @filters, [ $type, $tmpl ];
    }
    my $offset    = opt_int($req, 'offset', min => 0) // 0;
    my $pager     = opt_int($req, 'pager', min => 1, max => 100) // 100;
    my $direction = opt_enum($req, 'direction', [qw(ASC DESC)]) // 'ASC';
    my $sortby    = opt_str($req, 'sortby') // 'destination';
    bad('sortby', $sortby, 'a member of RateInfo') unless $RATE_FIELD{$sortby};

    my @rows = grep { $_->{i_tariff} == $i_tariff } @{ $DATA->{rates} };
    @rows = grep { $_->{i_rate} == $i_rate } @rows if defined $i_rate;
    for my $f (@filters) {
        my ($col, $pattern) = @$f;
        @rows = grep { like_match($pattern, $_->{$col}) } @rows;
    }
    my $numeric = $RATE_NUMERIC{$sortby};
    @rows = sort { null_cmp($a->{$sortby}, $b->{$sortby}, $numeric) || $a->{i_rate} <=> $b->{i_rate} } @rows;
    @rows = reverse @rows if $direction eq 'DESC';
    my $total = @rows;
    my $end   = $offset + $pager > $total ? $total : $offset + $pager;
    my @page  = $offset < $total ? @rows[ $offset .. $end - 1 ] : ();

    # "Array with two elements. The first is an array of RateInfo structure.
    # The second is a number of rates in the tariff."
    return Stub::struct(GetRatesListResponse => 'GetRatesListResponse',
        SOAP::Data->name(rates_list => [
            array_value('RateInfo', \@RATE_INFO, @page),
            SOAP::Data->type('int')->value($total),
        ]));
}

sub template { find($DATA->{tariff_templates}, i_tariff_template => $_[0]) }

sub add_update_tariff_binding {
    my ($req) = @_;
    my $i_ttb = opt_int($req, 'i_ttb');
    my $i_tariff = opt_int($req, 'i_tariff');
    my $i_tpl = opt_int($req, 'i_tariff_template');
    my $email_from = opt_str($req, 'email_from');
    my $email_key = opt_str($req, 'email_key');
    my $disabled = opt_enum($req, 'disabled', [qw(Y N)]);
    if (defined $i_tpl) {
        my $t = template($i_tpl) or not_found("Tariff template $i_tpl");
        bad('i_tariff_template', $i_tpl, 'not an upload template') unless $t->{type} eq 'upload';
    }
    bad('email_from', $email_from, 'an email address')
        if defined $email_from && !looks_like_email($email_from);
    my $bindings = $DATA->{tariff_bindings};
    my $b;
    if (defined $i_ttb) {
        $b = find($bindings, i_ttb => $i_ttb) or not_found("Tariff template binding $i_ttb");
        bad('i_tariff', $i_tariff, "insert-only, the binding's tariff is $b->{i_tariff}")
            if defined $i_tariff && $i_tariff != $b->{i_tariff};
    }
    else {
        missing('i_tariff') unless defined $i_tariff;
        tariff($i_tariff) or not_found("Tariff $i_tariff");
        missing('i_tariff_template') unless defined $i_tpl;
        missing('email_from') unless defined $email_from;
        my $next = 0;
        $next < $_->{i_ttb} and $next = $_->{i_ttb} for @$bindings;
        $b = { i_ttb => $next + 1, i_tariff => $i_tariff, i_tariff_template => undef,
               email_from => undef, email_key => undef, disabled => 'N' };
    }
    my $from = $email_from // $b->{email_from};
    for my $o (@$bindings) {
        next if $o == $b || $o->{i_tariff} != $b->{i_tariff};
        fail('already_exists', "A binding of '$from' to tariff $b->{i_tariff} already exists (i_ttb $o->{i_ttb})")
            if lc $o->{email_from} eq lc $from;
    }
    $b->{i_tariff_template} = $i_tpl      if defined $i_tpl;
    $b->{email_from}        = $email_from if defined $email_from;
    $b->{email_key}         = $email_key  if defined $email_key;
    $b->{disabled}          = $disabled   if defined $disabled;
    push @$bindings, $b unless defined $i_ttb;
    Stub::log_msg("tariff binding $b->{i_ttb} saved");
    return struct(AddUpdateTariffBindingResponse => 'AddUpdateTariffBindingResponse',
        [qw(i_ttb i_tariff)], $b);
}

sub del_tariff_binding {
    my ($req) = @_;
    my $i_ttb = req_int($req, 'i_ttb');
    my $bindings = $DATA->{tariff_bindings};
    my @keep = grep { $_->{i_ttb} != $i_ttb } @$bindings;
    not_found("Tariff template binding $i_ttb") if @keep == @$bindings;
    @$bindings = @keep;
    return struct(DelTariffBindingResponse => 'DelTariffBindingResponse', ['result'], { result => 'OK' });
}

sub get_tariff_binding_list {
    my ($req) = @_;
    my $i_tariff = opt_int($req, 'i_tariff');
    tariff($i_tariff) or not_found("Tariff $i_tariff") if defined $i_tariff;
    my @b = sort { $a->{i_ttb} <=> $b->{i_ttb} }
        grep { !defined $i_tariff || $_->{i_tariff} == $i_tariff } @{ $DATA->{tariff_bindings} };
    return Stub::struct(GetTariffBindingListResponse => 'GetTariffBindingListResponse',
        array(bindings => 'TariffBindingInfo', \@TARIFF_BINDING, @b));
}

sub get_tariff_templates_list {
    my ($req) = @_;
    my $type = opt_enum($req, 'type', [qw(upload download)]);
    my @t = grep { !defined $type || $_->{type} eq $type } @{ $DATA->{tariff_templates} };
    return Stub::struct(GetTariffTemplatesListResponse => 'GetTariffTemplatesListResponse',
        array(templates => 'TariffTemplateInfo', \@TARIFF_TEMPLATE, @t));
}

sub delete_routing_tariff {
    my ($req) = @_;
    my $i_acc = req_int($req, 'i_accessibility');
    my $i_art = req_int($req, 'i_acc_routing_tariff');
    my $list = $DATA->{routing_tariffs};
    my @keep = grep { !($_->{i_acc_routing_tariff} == $i_art && $_->{i_accessibility} == $i_acc) } @$list;
    not_found("Routing tariff $i_art of accessibility $i_acc") if @keep == @$list;
    @$list = @keep;
    return struct(DeleteRoutingTariffResponse => 'DeleteRoutingTariffResponse', ['success'], { success => 'OK' });
}

# --- Access to Environment Information ----------------------------------------

sub get_i_env {
    return struct(GetIEnvResponse => 'GetIEnvResponse', ['i_env'], { i_env => $DATA->{i_env} });
}

# --- Access to Customer / Vendor Information (Internal part) ------------------

sub get_stats_dates {
    my ($req) = @_;
    check_env($req);
    my $type = req_enum($req, 'type', [qw(customer vendor)]);
    my $key = $type eq 'customer' ? 'i_customer' : 'i_vendor';
    my $id = req_int($req, $key);
    my $known = $type eq 'customer' ? customer($id) : find($DATA->{vendors}, i_vendor => $id);
    not_found(ucfirst($type) . " $id") unless $known;
    my @files = sort { $a->{date} cmp $b->{date} || $a->{filename} cmp $b->{filename} }
        grep { $_->{type} eq $type && defined $_->{$key} && $_->{$key} == $id } @{ $DATA->{stats_files} };
    return Stub::struct(GetStatsDatesResponse => 'GetStatsDatesResponse',
        array(file_list => 'StatsFileInfo', \@STATS_FILE, @files));
}

sub get_customer_vdp_counter_history {
    my ($req) = @_;
    my $i_customer = req_int($req, 'i_customer');
    customer($i_customer) or not_found("Customer $i_customer");
    my $from = opt_datetime($req, 'from');
    my $to   = opt_datetime($req, 'to');
    bad('to', $to, "before 'from' ($from)") if defined $from && defined $to && $to lt $from;
    my @rows = sort { $a->{discount_start_date} cmp $b->{discount_start_date} || $a->{i_cvd_counter} <=> $b->{i_cvd_counter} }
        grep {
            $_->{i_customer} == $i_customer
            && (!defined $from || $_->{discount_start_date} ge $from)
            && (!defined $to   || $_->{discount_start_date} le $to)
        } @{ $DATA->{vdp_counter_history} };
    return Stub::struct(GetCustomerVDPCounterHistoryResponse => 'GetCustomerVDPCounterHistoryResponse',
        array(result => 'CustomerVDPCounterHistory', \@VDP_HISTORY, @rows));
}

# --- Access to DID Inventory Information --------------------------------------

sub get_owner_batch_list {
    my ($req) = @_;
    check_env($req);
    my $i_customer = opt_int($req, 'i_customer');
    my $name = opt_str($req, 'name');
    customer($i_customer) or not_found("Customer $i_customer") if defined $i_customer;
    my @b = sort { $a->{i_do_batch} <=> $b->{i_do_batch} } grep {
        (!defined $i_customer || (defined $_->{i_customer} && $_->{i_customer} == $i_customer))
        && (!defined $name || like_match($name, $_->{name}))
    } @{ $DATA->{owner_batches} };
    # The document (and the WSDL) say `ownher_batch_list`; a Telinta client in
    # the wild reads `owner_batch_list`, which is what is sent. See README.md.
    return Stub::struct(GetOwnerBatchListResponse => 'GetOwnerBatchListResponse',
        array(owner_batch_list => 'OwnerBatchInfo', \@OWNER_BATCH, @b));
}

# --- Deprecated methods with a documented shape (Appendix A) -------------------

sub get_accessibility_list {
    my ($req) = @_;
    my $i_product = req_int($req, 'i_product');
    my @a = sort { $a->{i_accessibility} <=> $b->{i_accessibility} }
        grep { $_->{i_product} == $i_product } @{ $DATA->{accessibilities} };
    return Stub::struct(GetAccessibilityListResponse => 'GetAccessibilityListResponse',
        array(accessibility_list => 'AccessibilityInfo', \@ACCESSIBILITY, @a));
}

sub get_routing_tariff_list {
    my ($req) = @_;
    my $i_acc = req_int($req, 'i_accessibility');
    my @r = sort { $a->{i_acc_routing_tariff} <=> $b->{i_acc_routing_tariff} }
        grep { $_->{i_accessibility} == $i_acc } @{ $DATA->{routing_tariffs} };
    return Stub::struct(GetRoutingTariffListResponse => 'GetRoutingTariffListResponse',
        array(routing_tariff_list => 'RoutingTariffInfo', \@ROUTING_TARIFF, @r));
}

# --- Access to information of IP restrictions ---------------------------------

sub is_ip_restricted {
    my ($req) = @_;
    my $type = req_enum($req, 'type', [qw(account customer user)], ci => 1);
    my $id = req_int($req, 'i_value');
    my $ip = req_str($req, 'ip');
    bad('ip', $ip, 'an IPv4 address') unless defined ipv4_to_int($ip);
    my $known = $type eq 'account' ? account($id)
        : $type eq 'customer' ? customer($id)
        : find($DATA->{users}, i_user => $id);
    not_found(ucfirst($type) . " $id") unless $known;
    my ($rule) = grep { $_->{type} eq $type && $_->{i_value} == $id } @{ $DATA->{ip_restrictions} };
    my $restrict = 0;
    if ($rule && @{ $rule->{allowed} }) {
        $restrict = (grep { ipv4_in_cidr($ip, $_) } @{ $rule->{allowed} }) ? 0 : 1;
    }
    return struct(IsIPRestrictedResponse => 'IsIPRestrictedResponse', ['restrict'], { restrict => $restrict });
}

# --- Access to Mobyx Configuration --------------------------------------------

sub enable_g729 {
    my ($req) = @_;
    my $id = req_str($req, 'id');
    bad('id', $id, 'an i_account value') unless $id =~ /^\d+$/;
    my $acc = account($id) or not_found("Account $id");
    for my $m (qw(notify_email from_email)) {
        my $v = opt_str($req, $m);
        bad($m, $v, 'an email address') if defined $v && !looks_like_email($v);
    }
    my $result = 0;
    if ($acc->{mobyx} eq 'Y' && $acc->{g729} ne 'Y') {
        $acc->{g729} = 'Y';
        $result = 1;
    }
    return struct(Enable_g729Response => 'Enable_g729Response', ['result'], { result => $result });
}

# --- Access to Mobile top-up methods ------------------------------------------

# The balance holder of a TransferTo / PrepayNation request: i_account if
# given (it wins), else i_customer. Returns { rec, currency }.
sub payer {
    my ($req) = @_;
    if (defined(my $i = opt_int($req, 'i_account'))) {
        my $a = account($i) or not_found("Account $i");
        return { rec => $a, currency => customer($a->{i_customer})->{iso_4217} };
    }
    if (defined(my $i = opt_int($req, 'i_customer'))) {
        my $c = customer($i) or not_found("Customer $i");
        return { rec => $c, currency => $c->{iso_4217} };
    }
    missing('i_customer');
}

sub tt_error_txt {
    my ($code) = @_;
    for (@{ $DATA->{transferto}{errors} }) { return $_->{error_txt} if $_->{error_code} == $code }
    return 'Error';
}

# Flags documented as "Setting this to "1" will return ...": 1 / 0 / blank,
# and "no" for delivered_amount_info.
sub tt_flag {
    my ($req, $m) = @_;
    my $v = opt_str($req, $m);
    return 0 unless defined $v;
    return 0 if $v eq 'no';
    return 1 if $v =~ /^\s*1(?:\.0*)?\s*$/;
    return 0 if $v =~ /^\s*0(?:\.0*)?\s*$/;
    bad($m, $v, '1, 0 or blank');
}

sub msisdn_digits {
    my ($req, $m) = @_;
    my $v = req_str($req, $m);
    (my $d = $v) =~ s/^\s*(?:\+|00)//;
    $d =~ s/\s+$//;
    bad($m, $v, 'an international phone number') unless $d =~ /^\d{6,15}$/;
    return $d;
}

sub tt_operator {
    my ($req, $msisdn) = @_;
    my $forced = opt_int($req, 'operatorid');
    my $ops = $DATA->{transferto}{operators};
    if (defined $forced) {
        my $op = find($ops, operatorid => $forced);
        return ($op, 1);
    }
    my ($best, $len) = (undef, 0);
    for my $op (@$ops) {
        for my $p (@{ $op->{prefixes} }) {
            ($best, $len) = ($op, length $p) if index($msisdn, $p) == 0 && length $p > $len;
        }
    }
    return ($best, 0);
}

sub tt_response {
    my ($rec) = @_;
    return struct(TransferToResponse => 'TransferToResponse', \@TRANSFERTO, $rec);
}

sub tt_lists {
    my ($op, %with) = @_;
    my %r = (
        product_list         => join(',', @{ $op->{products} }),
        retail_price_list    => join(',', @{ $op->{retail_prices} }),
        wholesale_price_list => join(',', @{ $op->{wholesale_prices} }),
    );
    $r{service_fee_list} = join(',', @{ $op->{service_fees} }) if $with{fees};
    if ($with{amounts}) {
        $r{local_info_amount_list} = join(',', @{ $op->{local_info_amounts} });
        $r{local_info_value_list}  = join(',', @{ $op->{local_info_values} });
        $r{local_info_currency}    = $op->{destination_currency};
    }
    return %r;
}

sub tt_promo {
    my ($op) = @_;
    return (promotion => $op->{promotion}, promo_start => $op->{promo_start}, promo_end => $op->{promo_end});
}

sub transferto {
    my ($req) = @_;
    my $method = req_enum($req, 'method', [qw(pricelist msisdn_info topup)]);
    my $payer = payer($req);
    my %r = (authentication_key => $AUTH_KEY++);
    my $ok = sub { (error_code => 0, error_txt => tt_error_txt(0)) };
    my $err = sub { (error_code => $_[0], error_txt => tt_error_txt($_[0])) };

    if ($method eq 'pricelist') {
        my $info = req_enum($req, 'info_type', [qw(countries operator)]);
        if ($info eq 'countries') {
            my @c = @{ $DATA->{transferto}{countries} };
            return tt_response({ %r, country => join(',', map { $_->{country} } @c),
                countryid => join(',', map { $_->{countryid} } @c), $ok->() });
        }
        my $id = req_int($req, 'content');
        my $op = find($DATA->{transferto}{operators}, operatorid => $id)
            or return tt_response({ %r, $err->(401) });
        return tt_response({ %r, country => $op->{country}, countryid => $op->{countryid}, $ok->(),
            operator => $op->{operator}, operatorid => $op->{operatorid},
            destination_currency => $op->{destination_currency}, tt_lists($op) });
    }

    my $dest = msisdn_digits($req, 'destination_msisdn');
    my %want = (amounts => tt_flag($req, 'delivered_amount_info'), fees => tt_flag($req, 'return_service_fee'),
                promo => tt_flag($req, 'return_promo'));
    my ($op, $forced) = tt_operator($req, $dest);
    my %common = $op ? (country => $op->{country}, countryid => $op->{countryid}, operator => $op->{operator},
        operatorid => ($forced ? $op->{operatorid} : ''), destination_msisdn => $dest,
        destination_currency => $op->{destination_currency}) : ();

    # A forced operatorid that does not exist: 401; no operator for the number: 101.
    my $no_op = $forced ? 401 : 101;
    if ($method eq 'msisdn_info') {
        return tt_response({ %r, $err->($no_op), destination_msisdn => $dest }) unless $op;
        return tt_response({ %r, %common, $ok->(), connection_status => $op->{connection_status},
            tt_lists($op, %want), ($want{promo} ? tt_promo($op) : ()) });
    }

    # topup
    my $msisdn = req_str($req, 'msisdn');
    my $product = req_str($req, 'product');
    my $sms = opt_str($req, 'sms');
    bad('sms', $sms, 'must be less than 30 characters') if defined $sms && length $sms >= 30;
    my $send_sms = opt_str($req, 'send_sms') // 'yes';
    my $stamp = opt_int($req, 'return_timestamp', min => 0, max => 1) // 0;
    my $version = opt_int($req, 'return_version', min => 0, max => 1) // 0;
    my $balance_holder = $payer->{rec};
    my %failed = (destination_msisdn => $dest, msisdn => $msisdn, product_requested => $product,
        actual_product_sent => 0, balance => $balance_holder->{balance});
    return tt_response({ %r, $err->($no_op), %failed }) unless $op;
    my ($i) = grep { $op->{products}[$_] eq $product } 0 .. $#{ $op->{products} };
    return tt_response({ %r, %common, $err->(301), %failed }) unless defined $i;
    my $cost = $op->{wholesale_prices}[$i];
    return tt_response({ %r, %common, $err->(309), %failed })
        if dec_cmp($balance_holder->{balance}, $cost) < 0;
    $balance_holder->{balance} = dec_sub($balance_holder->{balance}, $cost);
    my $txn = $TXN++;
    Stub::log_msg("transferto topup $txn: $dest $product, balance $balance_holder->{balance}");
    return tt_response({
        %r, %common, $ok->(),
        ($want{amounts} ? (local_info_currency => $op->{destination_currency}) : ()),
        ($want{promo} ? tt_promo($op) : ()),
        msisdn => $msisdn, originating_currency => $payer->{currency},
        product_requested => $product, actual_product_sent => $product,
        send_sms => $send_sms, (defined $sms ? (sms => $sms) : ()),
        wholesale_price => $cost,
        ($want{fees} ? (service_fee => $op->{service_fees}[$i]) : ()),
        retail_price => $op->{retail_prices}[$i],
        transactionid => $txn, cid1 => undef, cid2 => undef, cid3 => undef,
        (defined $op->{reference_prefix} ? (reference_operator => $op->{reference_prefix} . $txn) : ()),
        ($want{amounts} ? (local_info_amount => $op->{local_info_amounts}[$i],
                           local_info_value => $op->{local_info_values}[$i]) : ()),
        ($stamp ? (return_timestamp => $CLOCK->tick) : ()),
        ($version ? (return_version => $DATA->{transferto}{version}) : ()),
        balance => $balance_holder->{balance},
    });
}

sub pn_message {
    my ($code) = @_;
    for (@{ $DATA->{prepaynation}{responses} }) { return $_->{ResponseMessage} if $_->{ResponseCode} eq $code }
    return 'Error';
}

sub pn_response {
    my ($rec) = @_;
    return struct(PrepayNationResponse => 'PrepayNationResponse', \@PREPAYNATION,
        { Version => $DATA->{prepaynation}{version}, %$rec });
}

sub pn_failed {
    my ($code) = @_;
    return pn_response({ ResponseCode => $code, ResponseMessage => pn_message($code), Invoice => undef, Topup => undef });
}

sub prepaynation {
    my ($req) = @_;
    my $method = req_enum($req, 'method', [qw(get_sku_list purchase_pin purchase_rtr purchase_rtr_by_ani)]);
    my $payer = payer($req);
    my $skus = $DATA->{prepaynation}{skus};
    if ($method eq 'get_sku_list') {
        # "Returns list of available SKUs": the response part is an array of
        # SKUs, each with the members the document tables for get_sku_list.
        return SOAP::Data->name(PrepayNationResponse =>
            [ map { struct(undef, 'PrepayNationSku', \@PN_SKU, $_) } @$skus ]);
    }
    my $sku_id = req_int($req, 'skuId');
    my $amount = req_int($req, 'amount');
    my $pin = $method eq 'purchase_pin';
    my ($mobile, $sender);
    unless ($pin) {
        $mobile = msisdn_digits($req, 'mobile');
        $sender = opt_str($req, 'senderMobile');
        if (defined $sender) { $sender =~ s/^\s*(?:\+|00)//; bad('senderMobile', $sender, 'a phone number') unless $sender =~ /^\d{6,15}$/ }
    }
    my $sku = find($skus, skuId => $sku_id) or return pn_failed('102');
    return pn_failed('104') if $sku->{kind} ne ($pin ? 'pin' : 'rtr');
    return pn_failed('101') if $amount < $sku->{MinAmount} || $amount > $sku->{MaxAmount};
    my $cost = dec_mul($amount, $sku->{rate});
    my $holder = $payer->{rec};
    return pn_failed('103') if dec_cmp($holder->{balance}, $cost) < 0;
    $holder->{balance} = dec_sub($holder->{balance}, $cost);
    my $no = $INVOICE++;
    Stub::log_msg("prepaynation $method invoice $no: $cost, balance $holder->{balance}");
    my $cards = $pin
        ? [ struct(undef, 'PrepayNationCard', \@PN_CARD,
              { skuId => $sku_id, FaceValue => $amount, Pin => sprintf('%012d', $no * 7919) }) ]
        : [];
    my $invoice = struct(undef, 'OrderInvoice', \@ORDER_INVOICE, {
        InvoiceNumber => $no, TransactionDateTime => $CLOCK->tick, InvoiceAmount => $cost,
        FaceValueAmount => $amount, Cards => SOAP::Data->value($cards) });
    return pn_response({
        ResponseCode => '000', ResponseMessage => undef,
        Invoice => SOAP::Data->value([$invoice]),
        Topup => $pin ? undef : SOAP::Data->value([ struct(undef, 'PrepayNationTopup', \@PN_TOPUP,
            { skuId => $sku_id, mobile => $mobile, senderMobile => $sender, amount => $amount }) ]),
    });
}

# --- dispatch -----------------------------------------------------------------

# The 18 operations documented only as "Depricated in favour of X" (no
# tables): an empty response structure.
our %DEPRECATED_EMPTY = (
    get_group_set_list        => 'GetGroupSetListResponse',
    get_group_set             => 'GetGroupSetResponse',
    get_group                 => 'GetGroupResponse',
    add_tariff                => 'AddTariffResponse',
    add_update_routing_tariff => 'AddUpdateRoutingTariffResponse',
    get_tariff_list           => 'GetTariffListResponse',
    get_tariff_info           => 'GetTariffInfoResponse',
    add_vendor                => 'AddVendorResponse',
    update_vendor             => 'UpdateVendorResponse',
    add_connection            => 'AddConnectionResponse',
    update_connection         => 'UpdateConnectionResponse',
    delete_connection         => 'DeleteConnectionResponse',
    add_product               => 'AddProductResponse',
    add_accessibility         => 'AddAccessibilityResponse',
    del_accessibility         => 'DelAccessibilityResponse',
    get_routing_plan_list     => 'GetRoutingPlanListResponse',
    get_route_list            => 'GetRouteListResponse',
    get_subscription_list     => 'GetSubscriptionListResponse',
);

Stub::Util::install('Porta::SOAP::Internal', 'Internal', {
    (map { my $t = $DEPRECATED_EMPTY{$_}; ($_ => sub { empty_struct($t) }) } keys %DEPRECATED_EMPTY),
    get_accessibility_list  => \&get_accessibility_list,     # deprecated, shape from Appendix A
    get_routing_tariff_list => \&get_routing_tariff_list,    # deprecated, shape from Appendix A
    map { $_ => \&{"Stub::Internal::$_"} } qw(
        get_destination get_rates_list add_update_tariff_binding del_tariff_binding
        get_tariff_binding_list get_tariff_templates_list delete_routing_tariff get_i_env
        get_stats_dates get_customer_vdp_counter_history get_owner_batch_list is_ip_restricted
        enable_g729 transferto prepaynation),
});

1;
