#!/usr/bin/env bash
# Builds the gSOAP peer: wsdl2h + soapcpp2 over wsdl-snapshots/ (DIDAPI and Internal, Reseller
# realm), then harness.cpp against libgsoap++ (Debian gsoap + libgsoap-dev), -O2. wsdl2h options:
#   -k  no mustUnderstand on the auth_info header (SOAP::Lite refuses a header it must understand)
#   -p  anyType / soapenc:Array items decoded polymorphically by xsi:type, so get_rates_list rows
#       are typed ns1__RateInfo objects rather than raw XML strings
#   -t  typemap.dat of this folder appended to gSOAP's: dateTimes as strings (see there)
#   bench/peers/gsoap/build.sh OUT_DIR   -> OUT_DIR/harness
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SNAP=$(cd "$HERE/../../../wsdl-snapshots" && pwd)
OUT=${1:?usage: build.sh OUT_DIR}
mkdir -p "$OUT"
cd "$OUT"
cat /usr/share/gsoap/WS/typemap.dat "$HERE/typemap.dat" > typemap.dat
wsdl2h -p -k -t typemap.dat -o telinta.h "$SNAP/DIDAPIResellerService.wsdl" "$SNAP/InternalResellerService.wsdl" > wsdl2h.log 2>&1 \
    || { cat wsdl2h.log; exit 1; }
soapcpp2 -C -L -x -I/usr/share/gsoap/import telinta.h > soapcpp2.log 2>&1 || { cat soapcpp2.log; exit 1; }
g++ -O2 -std=c++17 -I. -o harness "$HERE/harness.cpp" soapC.cpp soapClient.cpp -lgsoap++ 2> build.log \
    || { cat build.log; exit 1; }
echo "$OUT/harness"
