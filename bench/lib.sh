# Shared helpers of bench/*.sh (sourced). Starts the SOAP::Lite test server and talks to it.
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
SERVER="$ROOT/tests/server/telinta-soap-server.pl"
SOAP_NS_ENV='xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns="http://schemas.portaone.com/soap" soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"'

# start_server DATA_JSON WORKDIR [SERVER OPTIONS, e.g. --close] -> sets SERVER_PID, PORT
start_server() {
    local data=$1 work=$2
    shift 2
    mkdir -p "$work"
    : > "$work/server.out"
    perl "$SERVER" --host 127.0.0.1 --port 0 --data "$data" --ignore-stdin "$@" \
        > "$work/server.out" 2> "$work/server.err" &
    SERVER_PID=$!
    local i
    for i in $(seq 1 100); do
        PORT=$(awk '/^LISTENING/{print $2}' "$work/server.out")
        [ -n "$PORT" ] && return 0
        sleep 0.1
    done
    echo "the SOAP::Lite server did not start (is libsoap-lite-perl installed?):" >&2
    cat "$work/server.err" >&2
    return 1
}

stop_server() {
    if [ -n "${SERVER_PID:-}" ]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}

# accepted_connections -> the server's count of accepted connections (this request's included)
accepted_connections() {
    curl -s "http://127.0.0.1:$PORT/_telinta-soap-server/stats" | sed -n 's/.*"accepted":\([0-9]*\).*/\1/p'
}

# soap_post ACTION ENVELOPE OUTFILE: POST, body to OUTFILE, prints the HTTP status.
soap_post() {
    curl -s -o "$3" -w '%{http_code}' "http://127.0.0.1:$PORT/soap/" \
        -H 'Content-Type: text/xml; charset=utf-8' -H "SOAPAction: \"$1\"" --data-binary "$2"
}

# login -> prints a session id
login() {
    local env="<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope $SOAP_NS_ENV><soap:Body><m:login xmlns:m=\"https://mybilling.telinta.com/Porta/SOAP/Session\"><LoginRequest xsi:type=\"ns:LoginRequest\"><login xsi:type=\"xsd:string\">api-user</login><password xsi:type=\"xsd:string\">s3cr3t-pass</password></LoginRequest></m:login></soap:Body></soap:Envelope>"
    local tmp
    tmp=$(mktemp)
    soap_post "https://mybilling.telinta.com/Porta/SOAP/Session#login" "$env" "$tmp" > /dev/null
    sed -n 's:.*<session_id[^>]*>\([0-9a-f]*\)</session_id>.*:\1:p' "$tmp"
    rm -f "$tmp"
}

auth_header() {
    echo "<soap:Header><h:auth_info xmlns:h=\"http://schemas.portaone.com/soap\" xsi:type=\"ns:AuthInfoStructure\"><session_id xsi:type=\"xsd:string\">$1</session_id></h:auth_info></soap:Header>"
}

# get_numbers SESSION OUTFILE (no filter: every number of the data file)
get_numbers() {
    local env="<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope $SOAP_NS_ENV>$(auth_header "$1")<soap:Body><m:get_numbers xmlns:m=\"https://mybilling.telinta.com/Porta/SOAP/DIDAPI\"><GetDIDAPINumbersListRequest xsi:type=\"ns:GetDIDAPINumbersListRequest\"></GetDIDAPINumbersListRequest></m:get_numbers></soap:Body></soap:Envelope>"
    soap_post "https://mybilling.telinta.com/Porta/SOAP/DIDAPI#get_numbers" "$env" "$2"
}

# get_rates_list SESSION OUTFILE (tariff 3001, first page of 100 rows by destination)
get_rates_list() {
    local env="<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope $SOAP_NS_ENV>$(auth_header "$1")<soap:Body><m:get_rates_list xmlns:m=\"https://mybilling.telinta.com/Porta/SOAP/Internal\"><GetRatesListRequest xsi:type=\"ns:GetRatesListRequest\"><i_tariff xsi:type=\"xsd:int\">3001</i_tariff><pager xsi:type=\"xsd:int\">100</pager></GetRatesListRequest></m:get_rates_list></soap:Body></soap:Envelope>"
    soap_post "https://mybilling.telinta.com/Porta/SOAP/Internal#get_rates_list" "$env" "$2"
}
