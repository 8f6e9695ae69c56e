# UM::SOAP::Queues - https://<host>/UM/SOAP/Queues (Call Queues), following
# wsdl-snapshots/QueuesAdminService.wsdl and the reference document.
# Data: data/queues.json. See README.md.
package Stub::Queues;

use strict;
use warnings;

our $DATA;    # decoded queues.json

# One call waiting in (or served by) a call queue. The document names no
# structure for "List of call records"; the members are those of its only
# call record structure, GetCustomerActiveCalls, plus the queue's id.
our @QUEUE_CALL = qw(i_queue i_active_callleg i_account i_customer CLI CLD call_type call_origin
    connect_time);

sub load {
    my ($path) = @_;
    $DATA = Stub::Util::load_json($path);
    for my $key (qw(queues calls)) {
        die "data file $path: missing '$key'\n" unless exists $DATA->{$key};
    }
}

sub get_queue_calls {
    my ($req) = @_;
    my $id = Stub::Util::req_int($req, 'i_queue');
    Stub::Util::not_found("Call queue $id") unless grep { $_->{i_queue} == $id } @{ $DATA->{queues} };
    return Stub::struct(GetQueueCallsResponse => 'GetQueueCallsResponse',
        Stub::Util::array(queue_calls => 'QueueCallInfo', \@QUEUE_CALL,
            grep { $_->{i_queue} == $id } @{ $DATA->{calls} }));
}

Stub::Util::install('UM::SOAP::Queues', 'Queues', { get_queue_calls => \&get_queue_calls });

1;
