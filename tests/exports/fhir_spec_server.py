"""A FHIR server cut down to the R4 rules that a transaction of conditional creates relies on.

Each rule cites the FHIR R4 specification, RESTful API page (hl7.org/fhir/R4/http.html):

- create (#create): "The server assigns the logical id"; an `id` in the POSTed resource is
  ignored.
- conditional create (#ccreate), `ifNoneExist` in a Bundle entry: no match, the server
  creates (201 Created); one match, "the server ignores the post and returns 200 OK";
  several matches, 412 Precondition Failed.
- transaction (#transaction): the entries succeed or fail together; POSTs are processed
  after DELETEs and before PUT/PATCH and GET.
- transaction processing rules (#trules): a POSTed entry's `fullUrl` is a temporary id,
  and every reference to it in the Bundle is replaced by the id the server gives the
  resource; when a conditional create matches, by the id of the matched resource. A
  reference to a `urn:uuid:` that no entry carries cannot be resolved, and fails the
  transaction.
- conditional references (#trules, "Conditional References"): a reference of the form
  `Type?search` is resolved by searching; exactly one match is required.

Search is reduced to the token form `identifier=system|value` (search.html#token).
"""

from __future__ import annotations

import copy
import itertools
from urllib.parse import parse_qsl


class TransactionFailed(Exception):
    """The whole transaction was refused: nothing was stored."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status}: {reason}")
        self.status = status


class SpecServer:
    """Resources by (type, id), and transactions processed by the rules above."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], dict] = {}
        self._ids = (f"srv-{n}" for n in itertools.count(1))

    def create(self, resource: dict) -> str:
        """A plain create (as an earlier upload, or a clinic's own Patient would be)."""
        stored = copy.deepcopy(resource)
        stored["id"] = next(self._ids)
        self.store[(stored["resourceType"], stored["id"])] = stored
        return f"{stored['resourceType']}/{stored['id']}"

    def search(self, resource_type: str, query: str, among: dict | None = None) -> list[dict]:
        """Resources of a type matching `identifier=system|value`, in the store or `among`."""
        params = parse_qsl(query, keep_blank_values=True)
        assert [name for name, _ in params] == ["identifier"], f"search not modelled: {query}"
        system, bar, value = params[0][1].partition("|")
        assert bar, "identifier search without a system is not modelled"
        return [
            resource
            for (kind, _id), resource in (self.store if among is None else among).items()
            if kind == resource_type
            and any(i.get("system") == system and i.get("value") == value for i in _identifiers(resource))
        ]

    def transaction(self, bundle: dict) -> list[str]:
        """Process a transaction Bundle; returns each entry's response status, in entry order."""
        if bundle.get("type") != "transaction":
            raise TransactionFailed(400, "not a transaction Bundle")
        entries = bundle.get("entry", [])
        methods = {entry["request"]["method"] for entry in entries}
        if methods - {"POST"}:
            raise TransactionFailed(400, f"only POST entries are modelled, not {methods}")
        staged: dict[tuple[str, str], dict] = {}
        assigned: dict[str, str] = {}  # fullUrl -> Type/id
        statuses: list[str] = []
        seen_targets: set[str] = set()
        for entry in entries:
            request, resource = entry["request"], entry["resource"]
            kind = request["url"]
            if kind != resource["resourceType"]:
                raise TransactionFailed(400, f"{kind} entry holds a {resource['resourceType']}")
            matches = []
            if "ifNoneExist" in request:
                query = request["ifNoneExist"]
                matches = self.search(kind, query) + self.search(kind, query, among=staged)
            if len(matches) > 1:
                raise TransactionFailed(412, f"{request['ifNoneExist']} matches {len(matches)} resources")
            if matches:
                target = f"{kind}/{matches[0]['id']}"
                statuses.append("200 OK")
            else:
                new_id = next(self._ids)
                target = f"{kind}/{new_id}"
                created = copy.deepcopy(resource)
                created["id"] = new_id  # any id the client sent is ignored
                staged[(kind, new_id)] = created
                statuses.append("201 Created")
            if target in seen_targets:
                raise TransactionFailed(400, f"two entries resolve to {target}")
            seen_targets.add(target)
            if "fullUrl" in entry:
                assigned[entry["fullUrl"]] = target
        for created in staged.values():
            self._resolve_references(created, assigned)
        self.store.update(staged)
        return statuses

    def _resolve_references(self, node, assigned: dict[str, str]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "reference" and isinstance(value, str):
                    node[key] = self._resolve(value, assigned)
                else:
                    self._resolve_references(value, assigned)
        elif isinstance(node, list):
            for item in node:
                self._resolve_references(item, assigned)

    def _resolve(self, reference: str, assigned: dict[str, str]) -> str:
        if reference in assigned:
            return assigned[reference]
        if reference.startswith("urn:uuid:"):
            raise TransactionFailed(400, f"unresolved reference {reference}")
        if "?" in reference:
            kind, _, query = reference.partition("?")
            found = self.search(kind, query)
            if len(found) != 1:
                raise TransactionFailed(412, f"conditional reference {reference} matches {len(found)}")
            return f"{kind}/{found[0]['id']}"
        return reference

    def count(self, resource_type: str = "Observation") -> int:
        return sum(1 for kind, _id in self.store if kind == resource_type)


def _identifiers(resource: dict) -> list[dict]:
    """A resource's identifiers: a list (Observation), or one (QuestionnaireResponse.identifier
    is 0..1 in R4)."""
    found = resource.get("identifier", [])
    return [found] if isinstance(found, dict) else found
