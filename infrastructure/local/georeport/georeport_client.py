"""Drives the platform's Open311 GeoReport v2 endpoint as third-party clients do, in XML and in JSON.

Usage: georeport_client.py READY_FILE   (the file FuzzTarget writes: {"url": ..., "tokens": {role: token}})

The client is `georeport` (PyPI): for every call it has (services, a service definition, the search
of requests, one request), in both of its output formats. It has no call for discovery, tokens or
POST requests; those are made here as GeoReport clients make them (`requests`, form-encoded, the
api_key in the query string as the `open311` library sends it, or in the body), and their answers
are read with `xmltodict`, the XML reader georeport itself uses. Every XML answer, errors included,
is also validated against georeport-v2.xsd (or -receipts.xsd) with `xmlschema`: a schema written
from the specification's examples, since it publishes none.
"""

import datetime
import json
import pathlib
import sys

import requests
import xmlschema
import xmltodict
from georeport import GeoReport

HERE = pathlib.Path(__file__).resolve().parent
DOCUMENTS = xmlschema.XMLSchema(HERE / "georeport-v2.xsd")
RECEIPTS = xmlschema.XMLSchema(HERE / "georeport-v2-receipts.xsd")
JURISDICTION = "territoire"
checks = 0


def check(condition, what):
    global checks
    if not condition:
        raise AssertionError(what)
    checks += 1


def as_list(value):
    """xmltodict gives one element as a dict and several as a list."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def valid_xml(response, schema=DOCUMENTS):
    check(response.headers.get("content-type", "").startswith("text/xml"),
          f"{response.url}: content-type {response.headers.get('content-type')}")
    schema.validate(response.content)  # raises XMLSchemaValidationError naming the element
    return xmltodict.parse(response.content)


def answer(response, fmt, schema=DOCUMENTS):
    if fmt == "xml":
        return valid_xml(response, schema)
    check(response.headers.get("content-type", "").startswith("application/json"), f"{response.url}: not JSON")
    return response.json()


def errors(response, fmt, status):
    """GeoReport's error list, in the format asked for: [{code, description}] or <errors><error>."""
    check(response.status_code == status, f"{response.url}: {response.status_code} instead of {status}: {response.text}")
    if fmt == "xml":
        listed = as_list(valid_xml(response)["errors"]["error"])
    else:
        listed = response.json()
    check(len(listed) >= 1 and all(int(e["code"]) == status and e["description"] for e in listed),
          f"{response.url}: not GeoReport's errors: {response.text}")
    return listed


def receipt(response, fmt):
    check(response.status_code == 201, f"POST {response.url}: {response.status_code} {response.text}")
    body = answer(response, fmt, RECEIPTS)
    filed = as_list(body["service_requests"]["request"])[0] if fmt == "xml" else body[0]
    check(filed["service_request_id"] and filed["token"], f"receipt without id or token: {response.text}")
    check(response.headers["location"].endswith(f"/requests/{filed['service_request_id']}.{fmt}"), "Location")
    return filed


def main(ready_file):
    ready = json.loads(pathlib.Path(ready_file).read_text())
    api = ready["url"]
    provider = ready["tokens"]["provider"]

    # A client starts from discovery, and uses the endpoint it names in the format it lists.
    discovered = {}
    for fmt in ("json", "xml"):
        response = requests.get(f"{api}/open311/v2/discovery.{fmt}", timeout=30)
        check(response.status_code == 200, f"discovery.{fmt}: {response.status_code}")
        body = answer(response, fmt)
        if fmt == "xml":
            endpoint = as_list(body["discovery"]["endpoints"]["endpoint"])[0]
            formats = as_list(endpoint["formats"]["format"])
        else:
            endpoint = body["endpoints"][0]
            formats = endpoint["formats"]
        check(endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2", "specification")
        check(set(formats) == {"text/xml", "application/json"}, f"formats {formats}")
        discovered[fmt] = endpoint["url"]
    check(discovered["json"] == discovered["xml"], "both documents name one endpoint")
    base = discovered["json"]

    # An organisation's provider issues the client's api_key (the platform's own API).
    issued = requests.post(f"{api}/organisations/asso-jardin/open311-keys", json={"name": "georeport client"},
                           headers={"Authorization": f"Bearer {provider}"}, timeout=30)
    check(issued.status_code == 201, f"issuing an api_key: {issued.status_code} {issued.text}")
    api_key = issued.json()["apiKey"]

    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    for fmt in ("json", "xml"):
        client = GeoReport(base, jurisdiction=JURISDICTION, api_key=api_key, output_format=fmt)
        elsewhere = GeoReport(base, jurisdiction="elsewhere.example", output_format=fmt)

        services = as_list(client.get_service_list())
        check(len(services) >= 10, f"{fmt}: {len(services)} services")
        check(all(set(s) >= {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
                  for s in services), f"{fmt}: a service lacks a listed field")
        code = services[0]["service_code"]

        definition = client.get_service_definition(code)
        attributes = as_list(definition["attributes"]["attribute"] if fmt == "xml" else definition["attributes"])
        check(definition["service_code"] == code, f"{fmt}: definition of another service")
        contact = [a for a in attributes if a["code"] == "contact_preference"]
        values = as_list(contact[0]["values"]["value"] if fmt == "xml" else contact[0]["values"])
        check([v["key"] for v in values] == ["NONE", "EMAIL", "PHONE"], f"{fmt}: values {values}")

        # Two requests as clients post them: the api_key in the query string (the `open311`
        # library's way), or in the form body; one with a description, one with a photo only.
        first = receipt(requests.post(f"{base}/requests.{fmt}", params={"jurisdiction_id": JURISDICTION, "api_key": api_key},
                                      data={"service_code": code, "lat": "45.7640", "long": "4.8357",
                                            "description": f"Lampadaire <éteint> & clignotant ({fmt})",
                                            "attribute[contact_preference]": "EMAIL", "email": "lea@example.org"},
                                      timeout=30), fmt)
        second = receipt(requests.post(f"{base}/requests.{fmt}",
                                       data={"api_key": api_key, "jurisdiction_id": JURISDICTION, "service_code": code,
                                             "address_string": "Place du Marché",
                                             "media_url": "https://photos.example.org/banc.jpg"},
                                       timeout=30), fmt)

        for filed in (first, second):
            by_token = answer(requests.get(f"{base}/tokens/{filed['token']}.{fmt}", timeout=30), fmt, RECEIPTS)
            found = as_list(by_token["service_requests"]["request"])[0] if fmt == "xml" else by_token[0]
            check(found["service_request_id"] == filed["service_request_id"], f"{fmt}: token lookup")

        one = client.get_service_request(first["service_request_id"])
        if fmt == "xml":
            # georeport hands XML back as xmltodict reads it; validate the same document too.
            valid_xml(requests.get(f"{base}/requests/{first['service_request_id']}.xml", timeout=30))
        check(one["service_code"] == code and one["status"] == "open", f"{fmt}: {one}")
        check(one["description"] == f"Lampadaire <éteint> & clignotant ({fmt})", f"{fmt}: description {one['description']}")
        check(float(one["lat"]) == 45.764 and float(one["long"]) == 4.8357, f"{fmt}: position")
        check("lea@example.org" not in json.dumps(one), f"{fmt}: the reporter's e-mail is public")
        photo = client.get_service_request(second["service_request_id"])
        check(photo["description"] in (None, ""), f"{fmt}: a request without description shows {photo['description']!r}")
        check(photo["media_url"] == "https://photos.example.org/banc.jpg" and photo["address"] == "Place du Marché", f"{fmt}")

        ids = {first["service_request_id"], second["service_request_id"]}

        def search(**filters):
            try:
                found = as_list(client.get_service_requests(**filters))
            except TypeError:
                # georeport 0.3.1 cannot read an empty XML list: xmltodict gives None for an empty
                # <service_requests/>, which it then indexes. Read that answer here, validated.
                if fmt != "xml":
                    raise
                empty = valid_xml(requests.get(f"{base}/requests.xml", params={**filters, "jurisdiction_id": JURISDICTION},
                                               timeout=30))
                check(empty["service_requests"] is None, f"an XML search georeport could not read: {empty}")
                found = []
            return {r["service_request_id"] for r in found}

        check(search(service_request_id=",".join(sorted(ids))) == ids, f"{fmt}: search by ids")
        check(ids <= search(service_code=code, status="open"), f"{fmt}: search by service and status")
        check(not ids & search(service_code=code, status="closed"), f"{fmt}: closed ones")
        check(ids <= search(service_code=code, start_date=(now - datetime.timedelta(hours=1)).isoformat()), f"{fmt}: start_date")
        check(not ids & search(service_code=code, end_date=(now - datetime.timedelta(days=1)).isoformat()), f"{fmt}: end_date")
        check(ids <= search(service_code=code), f"{fmt}: the default window")
        if fmt == "xml":
            valid_xml(requests.get(f"{base}/requests.xml", params={"service_code": code}, timeout=30))
            valid_xml(requests.get(f"{base}/services.xml", timeout=30))
            valid_xml(requests.get(f"{base}/services/{code}.xml", timeout=30))

        # Refusals, in GeoReport's words and in the format asked for.
        try:
            elsewhere.get_service_list()
            check(False, f"{fmt}: another jurisdiction_id was served")
        except requests.HTTPError as refused:
            errors(refused.response, fmt, 404)
        errors(requests.get(f"{base}/services/no-such-service.{fmt}", timeout=30), fmt, 404)
        errors(requests.get(f"{base}/requests/no-such-request.{fmt}", timeout=30), fmt, 404)
        errors(requests.get(f"{base}/no-such-route.{fmt}", timeout=30), fmt, 404)
        errors(requests.delete(f"{base}/requests.{fmt}", timeout=30), fmt, 405)
        errors(requests.get(f"{base}/requests.{fmt}", params={"status": "pending"}, timeout=30), fmt, 400)
        errors(requests.post(f"{base}/requests.{fmt}", data={"service_code": code, "lat": "45.76", "long": "4.83"},
                             timeout=30), fmt, 401)
        errors(requests.post(f"{base}/requests.{fmt}", params={"api_key": "t311_0123456789abcdef_wrong"},
                             data={"service_code": code, "lat": "45.76", "long": "4.83"}, timeout=30), fmt, 403)
        errors(requests.post(f"{base}/requests.{fmt}", data={"api_key": api_key, "service_code": "no-such-service",
                                                             "lat": "45.76", "long": "4.83"}, timeout=30), fmt, 404)
        print(f"georeport ({fmt}): discovery, {len(services)} services, a definition, 2 requests filed, "
              f"found by id, token and 6 searches, 9 refusals")
    print(f"Open311 GeoReport v2 client: {checks} checks passed in XML and JSON")


if __name__ == "__main__":
    main(sys.argv[1])
