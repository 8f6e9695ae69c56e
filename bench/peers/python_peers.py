#!/usr/bin/env python3
"""suds and zeep on the same captured responses: build request + decode response through each
library's client with a canned transport (the request is built and dropped, the captured bytes
are returned as the HTTP answer). WSDLs are read from wsdl-snapshots/ on disk; any other URL a
library asks for is refused (and reported), so nothing leaves the machine.

    python3 bench/peers/python_peers.py suds|zeep SNAPSHOT_DIR NAME=FILE ...

Prints `RESULT <lib> <operation> <median ms>` lines; a library that cannot be imported or cannot
decode a response says so on stderr and prints `SKIP <lib> <operation> <reason>`.
"""
import os
import statistics
import sys
import time

PORTA = "http://schemas.portaone.com/soap"
SESSION = "0123456789abcdef0123456789abcdef"


def measure(f):
    """Median over rounds of the mean time of one call (ms); rounds of >= ~50 ms, <= ~6 s in all."""
    t = time.perf_counter()
    f()
    one = max((time.perf_counter() - t) * 1e3, 0.001)
    for _ in range(min(2000, max(1 if one > 1000 else 2, int(300 / one)))):
        f()
    t = time.perf_counter()
    f()
    one = max((time.perf_counter() - t) * 1e3, 0.001)
    k = max(1, int(50 / one + 0.999))
    rounds = max(3 if one > 1000 else 5, min(30, int(6000 / (k * one))))
    res = []
    for _ in range(rounds):
        t = time.perf_counter()
        for _ in range(k):
            f()
        res.append((time.perf_counter() - t) * 1e3 / k)
    return statistics.median(res)


def wsdl_for(name, snap):
    svc = "DIDAPIResellerService.wsdl" if name.startswith("get_numbers") else "InternalResellerService.wsdl"
    return os.path.join(snap, svc)


# ----------------------------------------------------------------------------------------------
# suds


def suds_client(wsdl, canned):
    from suds.client import Client
    from suds.transport import Reply
    from suds.transport.http import HttpTransport

    class Canned(HttpTransport):
        body = b""
        refused = []

        def open(self, request):
            if not request.url.startswith("file:"):
                Canned.refused.append(request.url)
                raise Exception("refused (no network): " + request.url)
            return HttpTransport.open(self, request)

        def send(self, request):
            self.sent = request.message
            return Reply(200, {"content-type": "text/xml; charset=utf-8"}, Canned.body)

    from suds.plugin import DocumentPlugin

    class InlineCommon(DocumentPlugin):
        """suds does not see the types of Common.xsd (imported, for its own namespace, by a
        schema without targetNamespace): AuthInfoStructure is spliced into the WSDL's
        portaone schema before suds parses it."""

        def loaded(self, context):
            doc = context.document
            marker = b'<xsd:schema targetNamespace="http://schemas.portaone.com/soap">'
            if marker in doc:
                common = open(os.path.join(os.path.dirname(wsdl), "Common.xsd"), "rb").read()
                start = common.index(b"<xsd:complexType")
                end = common.rindex(b"</xsd:schema>")
                context.document = doc.replace(marker, marker + common[start:end], 1)

    transport = Canned()
    Canned.body = canned
    client = Client("file://" + os.path.abspath(wsdl), transport=transport, cache=None,
                    location="http://127.0.0.1/soap/", plugins=[InlineCommon()])
    auth = client.factory.create("{%s}AuthInfoStructure" % PORTA)
    auth.session_id = SESSION
    client.set_options(soapheaders=auth)
    return client, transport, Canned.refused


def run_suds(name, body, snap):
    client, transport, refused = suds_client(wsdl_for(name, snap), body)
    if name.startswith("get_numbers"):
        req = client.factory.create("{%s}GetDIDAPINumbersListRequest" % PORTA)
        call = lambda: client.service.get_numbers(req)
        r = call()
        nums = r.numbers
        items = nums if isinstance(nums, list) else getattr(nums, "item", nums)
        check = "%d numbers, [0]: %s %s %s" % (len(items), items[0].number, items[0].city, items[0].monthly)
    else:
        req = client.factory.create("{%s}GetRatesListRequest" % PORTA)
        req.i_tariff = 3001
        req.pager = 100
        call = lambda: client.service.get_rates_list(req)
        r = call()
        check = "rates_list: %s" % (str(r)[:200].replace("\n", " "),)
    return call, check, refused


# ----------------------------------------------------------------------------------------------
# zeep


def zeep_client(wsdl, canned):
    import requests
    import zeep
    from zeep.transports import Transport

    class Canned(Transport):
        body = b""
        refused = []

        def load(self, url):
            if url.rstrip("/") == "http://schemas.xmlsoap.org/soap/encoding":
                # The SOAP 1.1 encoding schema, which zeep would download: suds ships a copy.
                from suds.store import DocumentStore

                return DocumentStore().open("schemas.xmlsoap.org/soap/encoding/")
            if "://" in url and not url.startswith("file://"):
                Canned.refused.append(url)
                raise IOError("refused (no network): " + url)
            return Transport.load(self, url)

        def post_xml(self, address, envelope, headers):
            from zeep.wsdl.utils import etree_to_string

            self.sent = etree_to_string(envelope)  # what a real transport does
            resp = requests.Response()
            resp.status_code = 200
            resp.headers["Content-Type"] = "text/xml; charset=utf-8"
            resp._content = Canned.body
            resp.encoding = "utf-8"
            return resp

    Canned.body = canned
    client = zeep.Client(wsdl, transport=Canned())
    return client, Canned.refused


def run_zeep(name, body, snap):
    client, refused = zeep_client(wsdl_for(name, snap), body)
    header = {"auth_info": {"session_id": SESSION}}
    if name.startswith("get_numbers"):
        service = client.bind("DIDAPIResellerService", "DIDAPIResellerPort")
        service._binding_options["address"] = "http://127.0.0.1/soap/"
        call = lambda: service.get_numbers({}, _soapheaders=header)
        r = call()
        try:
            items = list(r["numbers"])
        except (TypeError, KeyError, AttributeError):
            items = list(r)  # zeep unwraps a one-member response into the member itself
        if items is None or len(items) == 0:
            raise RuntimeError("zeep decoded no numbers: %r" % (str(r)[:300],))
        first = items[0]
        check = "%d numbers, [0]: %s" % (len(items), str(first)[:160].replace("\n", " "))
    else:
        service = client.bind("InternalResellerService", "InternalResellerPort")
        service._binding_options["address"] = "http://127.0.0.1/soap/"
        call = lambda: service.get_rates_list({"i_tariff": 3001, "pager": 100}, _soapheaders=header)
        r = call()
        check = "rates_list: %s" % (str(r)[:200].replace("\n", " "),)
    return call, check, refused


def main():
    lib, snap = sys.argv[1], sys.argv[2]
    try:
        __import__(lib)
    except Exception as e:  # noqa: BLE001
        for arg in sys.argv[3:]:
            print("SKIP %s %s cannot import %s: %s (pip install %s)" % (lib, arg.split("=")[0], lib, e, lib))
        return
    for arg in sys.argv[3:]:
        name, path = arg.split("=", 1)
        with open(path, "rb") as f:
            body = f.read()
        try:
            call, check, refused = (run_suds if lib == "suds" else run_zeep)(name, body, snap)
        except Exception as e:  # noqa: BLE001
            msg = ("%s: %s" % (type(e).__name__, e)).replace("\n", " ")[:300]
            sys.stderr.write("%s %s: cannot decode: %s\n" % (lib, name, msg))
            print("SKIP %s %s %s" % (lib, name, msg))
            sys.stdout.flush()
            continue
        sys.stderr.write("%s %s: %s%s\n" % (lib, name, check,
                                            (" (refused: %s)" % refused) if refused else ""))
        print("RESULT %s %s %.4f" % (lib, name, measure(call)))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
