"""A stock GeoReport v2 client (PyPI's `georeport`) reading Fengqiao's
Open311 endpoint without an API key, as such clients do: the service list,
and a request it filed, by its id. Prints what it read as JSON for the
end-to-end test to check.

Usage: open311_client.py BASE_URL SERVICE_REQUEST_ID
"""
import json
import sys

from georeport import GeoReport


def main() -> None:
    base, request_id = sys.argv[1], sys.argv[2]
    client = GeoReport(f"{base}/open311/v2")
    services = client.get_service_list()
    one = client.get_service_request(request_id)
    listed = client.get_service_requests(service_request_id=request_id)
    print(json.dumps({
        "services": [s["service_code"] for s in services],
        "request": one,
        "listed": [r["service_request_id"] for r in listed],
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
