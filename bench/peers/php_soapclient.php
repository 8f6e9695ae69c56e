<?php
// PHP SoapClient (ext/soap, C over libxml2) on the same captured responses and server.
//
//   php bench/peers/php_soapclient.php decode SNAPSHOT_DIR NAME=FILE ...
//       build request + decode response through SoapClient with a canned __doRequest, for
//       NAME in get_numbers_100, get_numbers_10000, get_rates_list_100
//   php bench/peers/php_soapclient.php e2e SNAPSHOT_DIR PORT SESSION CALLS [keepalive|close]
//       CALLS get_numbers over HTTP to the SOAP::Lite server (SoapClient's own transport), with
//       keep_alive => true (SoapClient's default: one connection for every call, if the server
//       keeps it open) or false (`Connection: close`, a new connection per call)
//
// Prints `RESULT php <operation> <median ms>` lines.

const PORTA = 'http://schemas.portaone.com/soap';

class CannedClient extends SoapClient {
    public $canned = '';
    public $lastRequestBytes = 0;
    #[\ReturnTypeWillChange]
    public function __doRequest($request, $location, $action, $version, $oneWay = false) {
        $this->lastRequestBytes = strlen($request);
        return $this->canned;
    }
}

function client($class, $wsdl, $location, $session, $keep_alive = false) {
    $c = new $class($wsdl, [
        'location' => $location,
        'cache_wsdl' => WSDL_CACHE_MEMORY,
        'features' => SOAP_SINGLE_ELEMENT_ARRAYS,
        'keep_alive' => $keep_alive,
        'exceptions' => true,
    ]);
    $auth = new SoapVar(['session_id' => new SoapVar($session, XSD_STRING, 'string', 'http://www.w3.org/2001/XMLSchema')],
        SOAP_ENC_OBJECT, 'AuthInfoStructure', PORTA);
    $c->__setSoapHeaders([new SoapHeader(PORTA, 'auth_info', $auth)]);
    return $c;
}

function median(array $v) {
    sort($v);
    $n = count($v);
    return $n % 2 ? $v[intdiv($n, 2)] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2;
}

// Median over rounds of the mean time of one call (ms); rounds of >= ~50 ms, <= ~6 s in all.
function measure(callable $f) {
    $t = hrtime(true); $f(); $one = (hrtime(true) - $t) / 1e6;
    $warm = max(2, (int)ceil(300 / max($one, 0.001)));
    for ($i = 0; $i < min($warm, 2000); $i++) $f();
    $t = hrtime(true); $f(); $one = max((hrtime(true) - $t) / 1e6, 0.001);
    $k = max(1, (int)ceil(50 / $one));
    $rounds = max(5, min(30, (int)(6000 / ($k * $one))));
    $res = [];
    for ($r = 0; $r < $rounds; $r++) {
        $t = hrtime(true);
        for ($i = 0; $i < $k; $i++) $f();
        $res[] = (hrtime(true) - $t) / 1e6 / $k;
    }
    return median($res);
}

$mode = $argv[1];
$snap = rtrim($argv[2], '/');
if ($mode === 'decode') {
    foreach (array_slice($argv, 3) as $arg) {
        [$name, $file] = explode('=', $arg, 2);
        $body = file_get_contents($file);
        if (str_starts_with($name, 'get_numbers')) {
            $c = client('CannedClient', "$snap/DIDAPIResellerService.wsdl", 'http://127.0.0.1/soap/', str_repeat('0123456789abcdef', 2));
            $c->canned = $body;
            $call = function () use ($c) { return $c->get_numbers(new stdClass()); };
            $r = $call();
            $n = count($r->numbers);
            $check = "$n numbers, numbers[0]: {$r->numbers[0]->number} {$r->numbers[0]->city} {$r->numbers[0]->monthly}";
        } else {
            $c = client('CannedClient', "$snap/InternalResellerService.wsdl", 'http://127.0.0.1/soap/', str_repeat('0123456789abcdef', 2));
            $c->canned = $body;
            $req = ['i_tariff' => 3001, 'pager' => 100];
            $call = function () use ($c, $req) { return $c->get_rates_list($req); };
            $r = $call();
            $rows = $r->rates_list[0];
            $check = count($rows) . " rates, total {$r->rates_list[1]}, first i_rate {$rows[0]->i_rate}";
        }
        fwrite(STDERR, "php $name: $check (request " . $c->lastRequestBytes . " bytes)\n");
        printf("RESULT php %s %.4f\n", $name, measure($call));
    }
} elseif ($mode === 'mem') {
    // Decode one get_numbers response; peak of PHP's allocator and of the process (VmHWM).
    $body = file_get_contents($argv[3]);
    $c = client('CannedClient', "$snap/DIDAPIResellerService.wsdl", 'http://127.0.0.1/soap/', str_repeat('0123456789abcdef', 2));
    $c->canned = $body;
    $status = fn($f) => (int)preg_replace('/\D/', '', preg_grep("/^$f/", file('/proc/self/status'))[array_key_first(preg_grep("/^$f/", file('/proc/self/status')))]);
    memory_reset_peak_usage();
    $rss = $status('VmRSS:');
    @file_put_contents('/proc/self/clear_refs', '5');
    $m0 = memory_get_usage();
    $r = $c->get_numbers(new stdClass());
    $peak = memory_get_peak_usage() - $m0;
    $hwm = $status('VmHWM:');
    fwrite(STDERR, sprintf("php mem: %d numbers, zend peak +%d bytes, RSS before %d KiB, VmHWM %d KiB (+%d KiB)\n",
        count($r->numbers), $peak, $rss, $hwm, $hwm - $rss));
    printf("RESULT php vmhwm_delta_kib_10000 %d\n", $hwm - $rss);
    printf("RESULT php zend_peak_bytes_10000 %d\n", $peak);
} elseif ($mode === 'e2e') {
    [$port, $session, $calls] = [$argv[3], $argv[4], (int)$argv[5]];
    $how = $argv[6] ?? 'keepalive';
    if ($how !== 'keepalive' && $how !== 'close') { fwrite(STDERR, "mode must be keepalive or close\n"); exit(2); }
    $c = client('SoapClient', "$snap/DIDAPIResellerService.wsdl", "http://127.0.0.1:$port/soap/", $session, $how === 'keepalive');
    $req = new stdClass();
    for ($i = 0; $i < 10; $i++) {
        $r = $c->get_numbers($req);
        if (count($r->numbers) != 100) { fwrite(STDERR, "expected 100 numbers\n"); exit(1); }
    }
    $cpu = function () { $u = getrusage(); return ($u['ru_utime.tv_sec'] + $u['ru_stime.tv_sec']) * 1e3 + ($u['ru_utime.tv_usec'] + $u['ru_stime.tv_usec']) / 1e3; };
    $wall = []; $cpus = [];
    $c0 = $cpu();
    for ($i = 0; $i < $calls; $i++) {
        $t = hrtime(true); $c1 = $cpu();
        $r = $c->get_numbers($req);
        $c2 = $cpu(); $t2 = hrtime(true);
        $wall[] = ($t2 - $t) / 1e6; $cpus[] = $c2 - $c1;
    }
    fwrite(STDERR, sprintf("e2e php (%s): %d calls, total CPU %.1f ms (%.3f ms/call)\n", $how, $calls, $cpu() - $c0, ($cpu() - $c0) / $calls));
    printf("RESULT php e2e_%s_get_numbers_100_wall %.4f\n", $how, median($wall));
    printf("RESULT php e2e_%s_get_numbers_100_cpu %.4f\n", $how, median($cpus));
}
