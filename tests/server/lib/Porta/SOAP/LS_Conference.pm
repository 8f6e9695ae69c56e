# Porta::SOAP::LS_Conference - https://<host>/Porta/SOAP/LS_Conference
# (TeliCon), following wsdl-snapshots/LS_ConferenceAdminService.wsdl and the
# reference document. Data: data/ls_conference.json. See README.md.
package Stub::LS_Conference;

use strict;
use warnings;
use Scalar::Util ();

BEGIN {
    no strict 'refs';
    *{"Stub::LS_Conference::$_"} = \&{"Stub::Util::$_"} for qw(
        req_int opt_int req_str opt_str opt_enum opt_datetime missing bad not_found fail
        struct array given);
}

our $DATA;    # decoded ls_conference.json (rooms and recordings change in place)

our @ROOM = qw(i_room i_account name:s i_env pin moderator_pin start_time max_duration
    wait_for_moderator:s close_after_participants_exit:s announce_join_leave:s announce_name
    play_moh:s max_participants record:s mute announce_number_participants:s blocked:s i_moh);
our @RECORDING = qw(i_room i_account filename timestamp url_to_download size);

# Values of a new room for the members add_room does not get.
our %ROOM_DEFAULTS = (
    moderator_pin => undef, start_time => undef, max_duration => undef,
    wait_for_moderator => 'N', close_after_participants_exit => 'N', announce_join_leave => 'Y',
    announce_name => 0, play_moh => 'Y', max_participants => 10, record => 'N', mute => 0,
    announce_number_participants => 'N', blocked => 'N', i_moh => undef,
);

sub load {
    my ($path) = @_;
    $DATA = Stub::Util::load_json($path);
    for my $key (qw(i_env accounts url_base rooms recordings)) {
        die "data file $path: missing '$key'\n" unless exists $DATA->{$key};
    }
}

sub find {
    my ($list, $key, $v) = @_;
    for (@$list) { return $_ if defined $_->{$key} && $_->{$key} == $v }
    return undef;    ## no critic
}

sub room { my ($id) = @_; return find($DATA->{rooms}, i_room => $id) || not_found("Room $id") }

sub account_ok {
    my ($id) = @_;
    find($DATA->{accounts}, i_account => $id) or not_found("Account $id");
}

# The members of a ConferenceRoomInfo that are given, validated. i_room,
# i_account and name are handled by the callers.
sub room_changes {
    my ($ri) = @_;
    my %c;
    my $env = opt_int($ri, 'i_env');
    bad('i_env', $env, "this environment is $DATA->{i_env}") if defined $env && $env != $DATA->{i_env};
    for my $m (qw(pin moderator_pin)) {
        my $v = opt_str($ri, $m);
        next unless defined $v;
        bad($m, $v, '3 to 12 digits') unless $v =~ /^\d{3,12}$/;
        $c{$m} = $v;
    }
    if (defined(my $st = opt_datetime($ri, 'start_time'))) { $c{start_time} = $st }
    my %int = (max_duration => [ 0, 1440 ], max_participants => [ 2, 500 ], announce_name => [ 0, 1 ],
               mute => [ 0, 3 ], i_moh => [ 1, undef ]);
    for my $m (sort keys %int) {
        my $v = opt_int($ri, $m, min => $int{$m}[0], (defined $int{$m}[1] ? (max => $int{$m}[1]) : ()));
        $c{$m} = $v if defined $v;
    }
    for my $m (qw(wait_for_moderator close_after_participants_exit announce_join_leave play_moh
        announce_number_participants blocked)) {
        my $v = opt_enum($ri, $m, [qw(Y N)]);
        $c{$m} = $v if defined $v;
    }
    my $rec = opt_enum($ri, 'record', [qw(Y N A)]);
    $c{record} = $rec if defined $rec;
    return \%c;
}

sub room_info_of {
    my ($req) = @_;
    my $ri = $req->{room_info};
    missing('room_info') unless Stub::Util::given($req, 'room_info');
    bad('room_info', $ri, 'a ConferenceRoomInfo structure') unless ref $ri && Scalar::Util::reftype($ri) eq 'HASH';
    return $ri;
}

sub check_pins {
    my ($room) = @_;
    bad('moderator_pin', $room->{moderator_pin}, 'must differ from pin')
        if defined $room->{moderator_pin} && $room->{moderator_pin} eq $room->{pin};
}

sub get_room_info {
    my ($req) = @_;
    my $r = room(req_int($req, 'i_room'));
    return Stub::struct(GetConferenceRoomInfoResponse => 'GetConferenceRoomInfoResponse',
        struct(room_info => 'ConferenceRoomInfo', \@ROOM, $r));
}

sub get_room_list {
    my ($req) = @_;
    my $acc = opt_int($req, 'i_account');
    account_ok($acc) if defined $acc;
    my @r = sort { $a->{i_room} <=> $b->{i_room} }
        grep { !defined $acc || $_->{i_account} == $acc } @{ $DATA->{rooms} };
    return Stub::struct(GetConferenceRoomListResponse => 'GetConferenceRoomListResponse',
        array(room_list => 'ConferenceRoomInfo', \@ROOM, @r));
}

sub add_room {
    my ($req) = @_;
    my $ri = room_info_of($req);
    bad('i_room', $ri->{i_room}, 'assigned by the server, must not be given') if given($ri, 'i_room');
    my $acc = req_int($ri, 'i_account');
    account_ok($acc);
    my $name = req_str($ri, 'name');
    my $c = room_changes($ri);
    missing('pin') unless defined $c->{pin};
    my $next = 0;
    $next < $_->{i_room} and $next = $_->{i_room} for @{ $DATA->{rooms} };
    my $room = { i_room => $next + 1, i_account => $acc, name => $name, i_env => $DATA->{i_env},
                 %ROOM_DEFAULTS, %$c };
    check_pins($room);
    push @{ $DATA->{rooms} }, $room;
    Stub::log_msg("room $room->{i_room} added");
    return struct(AddConferenceRoomResponse => 'AddConferenceRoomResponse', ['i_room'], $room);
}

sub update_room {
    my ($req) = @_;
    my $ri = room_info_of($req);
    my $room = room(req_int($ri, 'i_room'));
    my $acc = opt_int($ri, 'i_account');
    account_ok($acc) if defined $acc;
    my $name = opt_str($ri, 'name');
    my $c = room_changes($ri);
    my %new = (%$room, %$c, (defined $acc ? (i_account => $acc) : ()), (defined $name ? (name => $name) : ()));
    check_pins(\%new);
    %$room = %new;
    return struct(UpdateConferenceRoomResponse => 'UpdateConferenceRoomResponse', ['success'], { success => 1 });
}

sub delete_room {
    my ($req) = @_;
    my $id = req_int($req, 'i_room');
    room($id);
    @{ $DATA->{rooms} }      = grep { $_->{i_room} != $id } @{ $DATA->{rooms} };
    @{ $DATA->{recordings} } = grep { $_->{i_room} != $id } @{ $DATA->{recordings} };
    return struct(DeleteConferenceRoomResponse => 'DeleteConferenceRoomResponse', ['success'], { success => 1 });
}

sub get_room_recordings {
    my ($req) = @_;
    my $id = opt_int($req, 'i_room');
    room($id) if defined $id;
    my $acc = opt_int($req, 'i_account');
    account_ok($acc) if defined $acc;
    my $offset = opt_int($req, 'offset', min => 0) // 0;
    my $limit  = opt_int($req, 'limit', min => 1);
    my @r = sort { $a->{timestamp} cmp $b->{timestamp} || $a->{filename} cmp $b->{filename} } grep {
        (!defined $id || $_->{i_room} == $id) && (!defined $acc || $_->{i_account} == $acc)
    } @{ $DATA->{recordings} };
    @r = $offset < @r ? @r[ $offset .. $#r ] : ();
    splice @r, $limit if defined $limit && @r > $limit;
    return Stub::struct(GetConferenceRoomRecordingsResponse => 'GetConferenceRoomRecordingsResponse',
        array(recordings_list => 'ConferenceRoomRecordingInfo', \@RECORDING, @r));
}

sub delete_room_recording {
    my ($req) = @_;
    my $id = req_int($req, 'i_room');
    my $file = req_str($req, 'filename');
    room($id);
    my $list = $DATA->{recordings};
    my @keep = grep { !($_->{i_room} == $id && $_->{filename} eq $file) } @$list;
    not_found("Recording '$file' of room $id") if @keep == @$list;
    @$list = @keep;
    return struct(DeleteConferenceRoomRecordingResponse => 'DeleteConferenceRoomRecordingResponse',
        ['success'], { success => 1 });
}

Stub::Util::install('Porta::SOAP::LS_Conference', 'LS_Conference', {
    map { $_ => \&{"Stub::LS_Conference::$_"} } qw(
        get_room_info get_room_list add_room update_room delete_room get_room_recordings
        delete_room_recording),
});

1;
