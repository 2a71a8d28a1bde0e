"""Three hot paths of moto 5.2.5 made to cost what they touch, its memory leak closed, and
what it redoes per request done once.

endpoint.py applies these at startup, before moto serves anything. Each replaced or wrapped
function of moto is pinned by the SHA-256 of its source: if moto moves (another version, or
the same version patched), apply() refuses to start the endpoint rather than patch code it
no longer knows. `python moto_patches.py --check` runs that check alone (a contract test
does). Why each patch, measured: docs/benchmarks.md ("Local endpoint"); the design:
docs/decisions.md.

1. No instance tracking. moto's BaseModel.__new__ appends every model instance to a class
   list that only moto's own dashboard reads, so every DynamoDB Item ever created, and every
   copy a request makes, lives as long as the process.
2. Query reads what it returns. moto's Table.query builds and sorts every item of the table
   (all_items()) and then filters. Here it gets only the candidates: the partition for a
   base-table (or local-index) query, the bucket of the GSI hash key value for a GSI query,
   and moto's own code then filters, sorts, pages and projects them exactly as before. The
   GSI buckets are built on a GSI's first query and kept current by every write of an item
   (Table.put_item, Table.delete_item, backend update_item, which changes items in place,
   and a transaction's undo); a bucket only ever has to be a superset of the index's items
   for that value, since moto rechecks the key, but it is kept exact so that it stays small.
   GSIs with several hash or range attributes (multi-attribute keys) keep moto's own path.
   Each partition of a table with a sort key is a SortedPartition: a dict that keeps its
   sort keys in order on every write of a key (whatever path writes it: put, update's
   creation, delete, batch, a transaction and its undo, a restore), so a base-table query
   finds the run its sort key condition selects, after its ExclusiveStartKey and cut to its
   Limit, by bisection (see _page_of): an hour of readings costs an hour, not the device's
   week, and the first page of a large run costs a page.
3. TransactWriteItems without copying tables. moto deep-copies each table a transaction
   names to roll back from. Here each item is checked and applied in turn exactly as moto
   does (so the cancellation reasons are moto's: one per item, in order), with an undo log of
   the items it names: their previous version, copied only where moto changes an item in
   place. Any failure restores them in reverse order. Requests are serialised by the
   endpoint, so nothing sees the intermediate state: all or nothing, as DynamoDB.
   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
4. Items answered without walking their shape. moto serialises every answer by walking the
   operation's output shape in Python, member by member (moto/core/serialize.py): about 85 %
   of a 100-item Query, over a millisecond per item returned. The items of a Query, Scan,
   GetItem or BatchGetItem answer are already DynamoDB's wire form (moto's dynamo_to_dict:
   {type: value}, binaries as bytes), so they are written with json.dumps (bytes in base64,
   as the shape walk writes a blob), and the rest of the answer (counts, LastEvaluatedKey,
   ConsumedCapacity, UnprocessedKeys) still goes through moto's serializer. `--check` proves,
   on an answer with every attribute type, that both give the same JSON.
5. What moto redoes on every request, done once (see _apply_request_caches): a condition's
   parse per expression, names and values; one update-expression tree per expression, copied
   node by node for moto's validator; moto's own folder listing and a handler's method names.
   A transaction no longer re-tests inside moto's write the condition it has just tested.
   `--check` applies cached conditions and updates with other values and compares the trees.
6. IoT's CreateCertificateFromCsr issues the certificate for the request's public key, as AWS
   IoT does. moto signs one for a key pair of its own and drops the request's key, so a device
   that made its CSR would get a certificate for a key it does not hold. Here the certificate
   has the request's subject and public key, issued by a test CA whose key lives in the process.
   https://docs.aws.amazon.com/iot/latest/apireference/API_CreateCertificateFromCsr.html
"""
import base64
import bisect
import copy
import hashlib
import inspect
import json
import sys
from collections import defaultdict

PINNED_MOTO = "5.2.5"
# sha256 (first 16 hex digits) of the source of every moto function replaced, wrapped, or
# shadowed here. Recompute with `python moto_patches.py --print-pins` after reading the change.
PINS = {
    "moto.core.common_models.BaseModel.__new__": "08cf0ef20e88029a",
    "moto.dynamodb.models.table.Table.__init__": "a56181a75aa27005",
    "moto.dynamodb.models.table.Table.query": "002b4d00be6df07c",
    "moto.dynamodb.models.table.Table.all_items": "c80d2ee3c896acd0",
    "moto.dynamodb.models.table.Table.put_item": "de23933013ef8426",
    "moto.dynamodb.models.table.Table.delete_item": "1594f7b07616c8cb",
    "moto.dynamodb.models.table.Table.get_item": "b08e98fe37b7e583",
    "moto.dynamodb.models.DynamoDBBackend.update_item": "218984588dd689a5",
    "moto.dynamodb.models.DynamoDBBackend.transact_write_items": "81db2cb7d94e39c9",
    "moto.core.responses.ActionResult.execute_result": "6333faa349b58671",
    "moto.dynamodb.models.utilities.dynamo_to_dict": "80f600124c13ddcb",
    "moto.dynamodb.comparisons.ConditionExpressionParser.parse": "5c9b63c5f49ed5d5",
    "moto.dynamodb.parsing.expressions.UpdateExpressionParser.make": "2c00ed96d6e191f2",
    "moto.dynamodb.responses.DynamoHandler.update_item": "638893af1afd43d2",
    "moto.dynamodb.responses.DynamoHandler.transact_write_items": "61c163fff213f33a",
    "moto.dynamodb.parsing.validators.Validator.__init__": "9489b532dd0fb359",
    "moto.backends.list_of_moto_modules": "4f741a10b06500e8",
    "moto.core.utils.method_names_from_class": "9dbac89d082b655f",
    "moto.iot.models.IoTBackend.create_certificate_from_csr": "a2d54a0e06bb0cce",
}
# Where the items are in each answer whose items skip the shape walk (patch 4).
ITEMS_OF = {"Query": "Items", "Scan": "Items", "GetItem": "Item", "BatchGetItem": "Responses"}
_GSI = "_territoire_gsi"  # on a Table: {(index name, hash attribute): (buckets, where)}
_applied = False
_moto_query = None  # moto's Table.query, once apply() has replaced it


def _targets():
    from moto.core.common_models import BaseModel
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table
    from moto.core.responses import ActionResult
    from moto.dynamodb.models.utilities import dynamo_to_dict
    from moto.dynamodb.comparisons import ConditionExpressionParser
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser
    from moto.dynamodb.responses import DynamoHandler
    from moto.dynamodb.parsing.validators import Validator
    import moto.backends
    import moto.core.utils
    from moto.iot.models import IoTBackend
    return {
        "moto.core.common_models.BaseModel.__new__": BaseModel.__new__,
        "moto.dynamodb.models.table.Table.__init__": Table.__init__,
        "moto.dynamodb.models.table.Table.query": Table.query,
        "moto.dynamodb.models.table.Table.all_items": Table.all_items,
        "moto.dynamodb.models.table.Table.put_item": Table.put_item,
        "moto.dynamodb.models.table.Table.delete_item": Table.delete_item,
        "moto.dynamodb.models.table.Table.get_item": Table.get_item,
        "moto.dynamodb.models.DynamoDBBackend.update_item": DynamoDBBackend.update_item,
        "moto.dynamodb.models.DynamoDBBackend.transact_write_items": DynamoDBBackend.transact_write_items,
        "moto.core.responses.ActionResult.execute_result": ActionResult.execute_result,
        "moto.dynamodb.models.utilities.dynamo_to_dict": dynamo_to_dict,
        "moto.dynamodb.comparisons.ConditionExpressionParser.parse": ConditionExpressionParser.parse,
        "moto.dynamodb.parsing.expressions.UpdateExpressionParser.make": UpdateExpressionParser.make,
        "moto.dynamodb.responses.DynamoHandler.update_item": DynamoHandler.update_item,
        "moto.dynamodb.responses.DynamoHandler.transact_write_items": DynamoHandler.transact_write_items,
        "moto.dynamodb.parsing.validators.Validator.__init__": Validator.__init__,
        "moto.backends.list_of_moto_modules": moto.backends.list_of_moto_modules,
        "moto.core.utils.method_names_from_class": moto.core.utils.method_names_from_class,
        "moto.iot.models.IoTBackend.create_certificate_from_csr": IoTBackend.create_certificate_from_csr,
    }


def fingerprints():
    return {name: hashlib.sha256(inspect.getsource(fn).encode()).hexdigest()[:16] for name, fn in _targets().items()}


def check():
    """Raises unless moto is the pinned version with the pinned sources."""
    import moto
    if moto.__version__ != PINNED_MOTO:
        raise RuntimeError(f"moto_patches is written for moto {PINNED_MOTO}, found {moto.__version__}: "
                           "re-read the patched functions before changing the pin (infrastructure/local/moto_patches.py)")
    moved = [name for name, digest in fingerprints().items() if PINS[name] != digest]
    if moved:
        raise RuntimeError(f"moto {moto.__version__} internals moved, the patches no longer apply: {', '.join(moved)}")


# --- items without the shape walk ------------------------------------------------------

def _wire(value):
    """json.dumps' default for what dynamo_to_dict leaves that JSON has no type for: a binary."""
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")  # as moto's JSON serializer writes a blob
    raise TypeError(f"{type(value).__name__} is not DynamoDB wire data")


def _items_fast(execute_result):
    """DynamoResult.execute_result: the items of a read answer written directly (patch 4)."""
    from moto.core.responses import ActionResult

    def execute(self, context):
        key = ITEMS_OF.get(str(context.operation_model.name))
        result = self.result
        if key is None or not isinstance(result, dict) or key not in result:
            return execute_result(self, context)
        rest = {k: v for k, v in result.items() if k != key}
        status, headers, body = execute_result(ActionResult(rest), context)
        if not str(status).startswith("2"):
            return status, headers, body
        answer = json.loads(body) if body else {}
        answer[key] = result[key]
        return status, headers, json.dumps(answer, default=_wire)
    return execute


def _self_test():
    """Patch 4 answers what moto's serializer answers, on items of every attribute type."""
    from moto.core.responses import ActionContext, ActionResult
    from moto.core.serialize import get_serializer_class
    from moto.core.utils import get_service_model
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.responses import DynamoResult
    service = get_service_model("dynamodb")
    item = {"pk": DynamoType({"S": "P#1"}), "n": DynamoType({"N": "-1.5e3"}), "b": DynamoType({"B": base64.b64encode(b"\x00\xff").decode()}),
            "ss": DynamoType({"SS": ["a", "é"]}), "ns": DynamoType({"NS": ["1", "2"]}),
            "bs": DynamoType({"BS": [base64.b64encode(b"x").decode()]}), "t": DynamoType({"BOOL": True}),
            "z": DynamoType({"NULL": True}), "e": DynamoType({"S": ""}),
            "m": DynamoType({"M": {"l": {"L": [{"N": "1"}, {"M": {"s": {"S": "x"}}}, {"B": base64.b64encode(b"y").decode()}]}}})}
    results = {
        "Query": {"Count": 2, "ScannedCount": 3, "Items": [item, item], "LastEvaluatedKey": {"pk": {"S": "P#1"}},
                  "ConsumedCapacity": {"TableName": "t", "CapacityUnits": 1.0}},
        "Scan": {"Count": 0, "ScannedCount": 0, "Items": []},
        "GetItem": {"Item": item, "ConsumedCapacity": {"TableName": "t", "CapacityUnits": 0.5}},
        "BatchGetItem": {"Responses": {"t": [item]}, "UnprocessedKeys": {"t": {"Keys": [{"pk": {"S": "P#2"}}]}}},
    }
    fast = _items_fast(ActionResult.execute_result)
    for operation, result in results.items():
        context = ActionContext(service, service.operation_model(operation), get_serializer_class("dynamodb", "json"), object())
        want = ActionResult.execute_result(DynamoResult(copy.deepcopy(result)), context)
        got = fast(DynamoResult(copy.deepcopy(result)), context)
        if want[0] != got[0] or json.loads(want[2]) != json.loads(got[2]):
            raise RuntimeError(f"patch 4 would change the {operation} answer: {want[2]!r} != {got[2]!r}")


def _query_self_test(rounds=300, seed=12):
    """Patch 2 answers what moto's own query answers (items, counts, LastEvaluatedKey), page
    after page, on partitions written and rewritten at random, for every sort key condition,
    both directions, with and without Limit; and each partition's order is its keys' order.
    Needs apply() (it compares the patched Table.query with the one it replaced)."""
    import random
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table
    rnd = random.Random(seed)
    for key_type in ("S", "N"):
        table = Table("selftest", "123456789012", "eu-west-3",
                      schema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                      attr=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": key_type}])
        pool = ([f"{p}#{n:03d}" for p in ("D", "H", "HA", "R") for n in range(25)] if key_type == "S"
                else [str(n) for n in range(-40, 60)] + ["1.5", "-0.25", "1e2"])

        def sk(value):
            return {key_type: value}
        for _ in range(rounds):
            value = rnd.choice(pool)
            if rnd.random() < 0.7:
                table.put_item({"pk": {"S": "P"}, "sk": sk(value), "n": {"N": str(rnd.randint(0, 9))}})
            else:
                table.delete_item(DynamoType({"S": "P"}), DynamoType(sk(value)))
            part = table.items.get(DynamoType({"S": "P"}))
            if part is not None and part._keys != sorted(part.keys(), key=lambda k: k.cast_value):
                raise RuntimeError("a partition's sort keys fell out of order")
            if rnd.random() > 0.3:
                continue
            comparison = rnd.choice(["EQ", "LT", "LE", "GT", "GE", "BETWEEN", None]
                                    + (["BEGINS_WITH"] if key_type == "S" else []))
            if comparison == "BEGINS_WITH":
                objs = [DynamoType({"S": rnd.choice(["D", "H", "HA", "H#01", "Z", ""])})]
            elif comparison == "BETWEEN":
                objs = sorted((DynamoType(sk(rnd.choice(pool))) for _ in range(2)), key=lambda o: o.cast_value)
            elif comparison:
                objs = [DynamoType(sk(rnd.choice(pool)))]
            else:
                objs = []
            forward, limit, start = rnd.random() < 0.5, rnd.choice([None, 2, 7, 20]), None
            for _page in range(200):
                args = (DynamoType({"S": "P"}), comparison, objs, limit, start, forward, None)
                got = Table.query(table, *args)
                want = _moto_query(table, *args)
                if ([(i.hash_key, i.range_key) for i in got[0]], got[1:]) != ([(i.hash_key, i.range_key) for i in want[0]], want[1:]):
                    raise RuntimeError(f"patch 2 would change a query ({key_type} keys, {comparison} {objs}, "
                                       f"forward={forward}, limit={limit}, start={start}): {got} != {want}")
                if want[2] is None:
                    break
                start = {k: {v.type: v.value} for k, v in want[2].items()}  # as the next request sends it


def _tree(node, parent=None):
    """A parsed update expression as nested tuples: what it is, to see that nothing changed it
    and that a copy is the same tree (each node's parent being the node above it)."""
    from moto.dynamodb.parsing.ast_nodes import Node
    if isinstance(node, list):
        return tuple(_tree(c, parent) for c in node)
    if not isinstance(node, Node):
        return repr(node)
    if node.parent is not None and node.parent is not parent:
        return ("parent elsewhere", type(node).__name__)
    return (type(node).__name__, tuple(sorted((k, _tree(v, node)) for k, v in vars(node).items() if k != "parent")))


def _cache_self_test():
    """Patch 5 answers what moto answers: a condition kept for one set of values is not used
    for another, and an update expression's shared tree is the same after each write it made.
    Needs apply()."""
    from moto.dynamodb.exceptions import ConditionalCheckFailed
    from moto.dynamodb.models import DynamoDBBackend
    import moto.dynamodb.models
    from moto.dynamodb.models.table import Table
    backend = DynamoDBBackend("eu-west-3", "123456789012")
    backend.tables["t"] = Table("t", "123456789012", "eu-west-3",
                                schema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
                                attr=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}])
    update, condition = "ADD n :one SET #s = :s", "attribute_not_exists(n) OR n < :cap"
    tree = moto.dynamodb.models.UpdateExpressionParser.make(update)
    before = _tree(tree)
    outcomes = []
    for key, cap in (("a", "2"), ("a", "2"), ("a", "2"), ("b", "9"), ("a", "9")):
        try:
            backend.update_item("t", {"pk": {"S": key}, "sk": {"S": "X"}}, update, {"#s": "state"},
                                {":one": {"N": "1"}, ":s": {"S": f"{key}{cap}"}, ":cap": {"N": cap}},
                                condition_expression=condition)
            outcomes.append("ok")
        except ConditionalCheckFailed:
            outcomes.append("refused")
    got = {k: backend.get_item("t", {"pk": {"S": k}, "sk": {"S": "X"}}).to_json()["Attributes"] for k in ("a", "b")}
    want = {"a": {"pk": {"S": "a"}, "sk": {"S": "X"}, "n": {"N": "3"}, "state": {"S": "a9"}},
            "b": {"pk": {"S": "b"}, "sk": {"S": "X"}, "n": {"N": "1"}, "state": {"S": "b9"}}}
    if outcomes != ["ok", "ok", "refused", "ok", "ok"] or got != want:
        raise RuntimeError(f"patch 5 changed what updates do: {outcomes} {got}")
    if _tree(tree) != before or moto.dynamodb.models.UpdateExpressionParser.make(update) is not tree:
        raise RuntimeError("patch 5: the shared update expression tree changed, or is not shared")
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser
    for expression in (update, "SET a.b[2].#c = list_append(if_not_exists(l, :e), :v), n = n + :one REMOVE x[1], y DELETE s :s",
                       "SET #a = :a ADD c :one, d :s"):
        parsed = UpdateExpressionParser.make(expression)
        if _tree(_copy_tree(parsed)) != _tree(copy.deepcopy(parsed)) or _tree(_copy_tree(parsed)) != _tree(parsed):
            raise RuntimeError(f"patch 5: a copied update expression tree differs from moto's deepcopy: {expression}")


# --- GSI buckets -----------------------------------------------------------------------

def _lookup(table, hash_key, range_key):
    part = table.items.get(hash_key)  # .get: table.items is a defaultdict
    if part is None or not table.range_key_attr:
        return part
    return part.get(range_key)


def _hashable(value):
    try:
        hash(value)
        return True
    except TypeError:  # a list or map is never a key value: DynamoDB would not index it
        return False


def _touched(table, hash_key, range_key):
    """After any write of one item: move its key between the GSI buckets it belongs to."""
    state = table.__dict__.get(_GSI)
    if not state:
        return
    key = (hash_key, range_key)
    item = _lookup(table, hash_key, range_key)
    for (_, attr), (buckets, where) in state.items():
        new = item.attrs.get(attr) if item is not None else None
        if new is not None and not _hashable(new):
            new = None
        old = where.get(key)
        if old is not None and new is not None and old == new:
            continue
        if old is not None:
            bucket = buckets.get(old)
            if bucket is not None:
                bucket.pop(key, None)
                if not bucket:
                    del buckets[old]
            del where[key]
        if new is not None:
            buckets.setdefault(new, {})[key] = None
            where[key] = new


def _gsi_bucket(table, index_name, attr):
    state = table.__dict__.setdefault(_GSI, {})
    entry = state.get((index_name, attr))
    if entry is None:  # first query of this index: one pass over the table, then kept current
        buckets, where = {}, {}
        for part in table.items.values():
            for item in (part.values() if table.range_key_attr else [part]):
                value = item.attrs.get(attr)
                if value is not None and _hashable(value):
                    key = (item.hash_key, item.range_key)
                    buckets.setdefault(value, {})[key] = None
                    where[key] = value
        entry = state[(index_name, attr)] = (buckets, where)
    return entry[0]


class SortedPartition(dict):
    """A partition {sort key (DynamoType): Item} that also keeps its sort keys in order.

    Every way moto, or this module, writes a key goes through one of these methods, so the
    order is kept on every write and nothing else has to remember to keep it. _vals holds
    the keys' cast values (what moto sorts and compares with: the string, a Decimal for a
    number), _keys the keys themselves, in the same order; _vals is None once a partition
    holds values that do not compare (never, with a key schema), and queries then take
    moto's own sort.
    """

    __slots__ = ("_vals", "_keys")

    def __init__(self, *args, **kwargs):
        super().__init__()
        self._vals, self._keys = [], []
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def _insert(self, key):
        if self._vals is None:
            return
        value = key.cast_value
        try:
            at = bisect.bisect_left(self._vals, value)
        except TypeError:  # values of different types: no order to keep
            self._vals = self._keys = None
            return
        self._vals.insert(at, value)
        self._keys.insert(at, key)

    def _remove(self, key):
        if self._vals is None:
            return
        value = key.cast_value
        at = bisect.bisect_left(self._vals, value)
        while at < len(self._vals) and self._vals[at] == value:
            if self._keys[at] == key:
                del self._vals[at], self._keys[at]
                return
            at += 1

    def __setitem__(self, key, value):
        if not dict.__contains__(self, key):
            self._insert(key)
        dict.__setitem__(self, key, value)

    def __delitem__(self, key):
        dict.__delitem__(self, key)
        self._remove(key)

    _MISSING = object()

    def pop(self, key, default=_MISSING):
        if dict.__contains__(self, key):
            value = dict.pop(self, key)
            self._remove(key)
            return value
        if default is SortedPartition._MISSING:
            raise KeyError(key)
        return default

    def popitem(self):
        key, value = dict.popitem(self)
        self._remove(key)
        return key, value

    def setdefault(self, key, default=None):
        if not dict.__contains__(self, key):
            self[key] = default
        return dict.__getitem__(self, key)

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other):
        self.update(other)
        return self

    def clear(self):
        dict.clear(self)
        self._vals, self._keys = [], []

    def copy(self):
        return SortedPartition(self)

    def __copy__(self):
        return SortedPartition(self)

    def __deepcopy__(self, memo):
        result = SortedPartition()
        memo[id(self)] = result
        for key, value in self.items():
            result[copy.deepcopy(key, memo)] = copy.deepcopy(value, memo)
        return result

    def __reduce__(self):
        return (SortedPartition, (dict(self),))


def _run(vals, range_comparison, bounds):
    """[lo, hi): the positions of the sorted cast values that the sort key condition selects,
    or None when the condition is not one contiguous run (or its values do not compare)."""
    bl, br = bisect.bisect_left, bisect.bisect_right
    try:
        if range_comparison is None:
            return 0, len(vals)
        if range_comparison in ("=", "EQ"):
            return bl(vals, bounds[0]), br(vals, bounds[0])
        if range_comparison in ("<", "LT"):
            return 0, bl(vals, bounds[0])
        if range_comparison in ("<=", "LE"):
            return 0, br(vals, bounds[0])
        if range_comparison in (">", "GT"):
            return br(vals, bounds[0]), len(vals)
        if range_comparison in (">=", "GE"):
            return bl(vals, bounds[0]), len(vals)
        if range_comparison == "BETWEEN":
            lo, hi = bl(vals, bounds[0]), br(vals, bounds[1])
            return lo, max(lo, hi)
        if range_comparison == "BEGINS_WITH":
            prefix = bounds[0]
            if not isinstance(prefix, str) or not all(isinstance(v, str) for v in vals[:1]):
                return None
            # A prefix cut keeps the order of sorted strings, so its equal run is contiguous.
            head = lambda v: v[:len(prefix)]  # noqa: E731
            return bl(vals, prefix, key=head), br(vals, prefix, key=head)
    except TypeError:  # a condition value of another type than the keys
        return None
    return None


def _page_of(table, part, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward):
    """The items of a base-table partition that one page of a query can touch, ascending, or
    None for the whole partition.

    moto walks its sorted candidates: it skips those up to ExclusiveStartKey, keeps the ones
    that match the sort key condition, and stops at the first candidate after the Limit-th
    match, matching or not, to set LastEvaluatedKey. So it is given exactly that: the matching
    run after the start key, cut to Limit, and the one item after it in the query's
    direction (the next match, or the run's neighbour); everything else it would have
    skipped or tested in vain. Found by bisection in the partition's sorted keys: the cost
    is the page, not the partition.
    """
    vals, keys = part._vals, part._keys
    if vals is None:
        return None
    run = _run(vals, range_comparison, [o.cast_value for o in range_objs or []])
    if run is None:
        return None
    lo, hi = run
    if exclusive_start_key:
        start = exclusive_start_key.get(table.range_key_attr)
        if not isinstance(start, dict) or exclusive_start_key.get(table.hash_key_attr) is None:
            return None
        from moto.dynamodb.models.dynamo_type import DynamoType
        if DynamoType(exclusive_start_key[table.hash_key_attr]) != next(iter(part.values())).hash_key:
            return None  # a start key of another partition: moto's own walk decides
        try:
            value = DynamoType(start).cast_value
            # moto skips the items "before or at" the start key in the query's direction.
            if scan_index_forward:
                lo = max(lo, bisect.bisect_right(vals, value))
            else:
                hi = min(hi, bisect.bisect_left(vals, value))
        except TypeError:
            return None
        hi = max(lo, hi)
    if scan_index_forward:
        if limit is not None:
            hi = min(hi, lo + limit)
        picked = keys[lo:hi + 1]  # and the one after
    else:
        if limit is not None:
            lo = max(lo, hi - limit)
        picked = keys[max(lo - 1, 0):hi]  # and the one before
    return [dict.__getitem__(part, k) for k in picked]


def _candidates(table, hash_key, index_name, hash_key_conditions, range_comparison=None, range_objs=None,
                limit=None, exclusive_start_key=None, scan_index_forward=True, filter_kwargs=None):
    """The items a query can return, in all_items() order, or None for moto's own path."""
    from moto.dynamodb.models.table import GlobalSecondaryIndex
    if index_name is None:
        if hash_key is None:
            return None
        value, attr, index = hash_key, table.hash_key_attr, None
    else:
        index = {i.name: i for i in table.all_indexes()}.get(index_name)
        if index is None:
            return None  # moto names the available indexes in its error
        hashes = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
        ranges = [k for k in index.schema if k["KeyType"] == "RANGE"]
        conditions = hash_key_conditions or []
        if len(hashes) != 1 or len(ranges) > 1 or len(conditions) != 1 or conditions[0][0] != hashes[0]:
            return None
        attr, value = hashes[0], conditions[0][1]
        if not _hashable(value):
            return None
    if attr == table.hash_key_attr:  # the base table, a local index, or a GSI on the table's hash key
        part = table.items.get(value)
        if part is None or (table.range_key_attr and not part):
            return []
        if index_name is None and table.range_key_attr and isinstance(part, SortedPartition) and not filter_kwargs:
            page = _page_of(table, part, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward)
            if page is not None:
                return page  # already in sort key order
        items = list(part.values()) if table.range_key_attr else [part]
    elif isinstance(index, GlobalSecondaryIndex):
        bucket = _gsi_bucket(table, index_name, attr).get(value, {})
        items = [i for i in (_lookup(table, h, r) for h, r in bucket) if i is not None]
    else:
        return None
    return sorted(items, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)


# --- the patches -----------------------------------------------------------------------

def apply(items_fast=True, request_caches=True):
    """items_fast=False leaves moto's shape walk for answers (patch 4 off), request_caches=False
    leaves moto's per-request parsing and look-ups (patch 5 off): both for benchmarks only."""
    global _applied
    if _applied:
        return
    check()
    from moto.core.common_models import BaseModel
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed, MockValidationException, MultipleTransactionsException,
        TooManyTransactionsException, TransactionCanceledException, TransactWriteSingleOpException,
    )
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.models import get_filter_expression  # moto's own, as its transact_write_items

    # 1. No instance tracking (moto/core/common_models.py).
    def untracked_new(cls, *args, **kwargs):
        return object.__new__(cls)
    BaseModel.__new__ = untracked_new

    # A read or delete of a key absent from a range-key table inserts an empty partition into
    # moto's defaultdict, forever: every idempotency lookup of a new key would leave one.
    get_item, delete_item, put_item = Table.get_item, Table.delete_item, Table.put_item

    def patched_get_item(self, hash_key, range_key=None, projection_expression=None):
        if range_key and hash_key not in self.items:
            return None
        return get_item(self, hash_key, range_key, projection_expression)

    def patched_delete_item(self, hash_key, range_key):
        if range_key and hash_key not in self.items:
            return None
        try:
            return delete_item(self, hash_key, range_key)
        finally:
            part = self.items.get(hash_key)
            if range_key and part is not None and not part:
                del self.items[hash_key]  # moto keeps emptied partitions
            _touched(self, hash_key, range_key)

    def patched_put_item(self, *args, **kwargs):
        item = put_item(self, *args, **kwargs)
        _touched(self, item.hash_key, item.range_key)
        return item

    Table.get_item, Table.delete_item, Table.put_item = patched_get_item, patched_delete_item, patched_put_item

    update_item = DynamoDBBackend.update_item

    def patched_update_item(self, table_name, key, *args, **kwargs):
        # moto changes the stored item in place, GSI key attributes included.
        try:
            return update_item(self, table_name, key, *args, **kwargs)
        finally:
            try:
                table = self.get_table(table_name)  # by name or ARN, as moto's own
            except Exception:  # noqa: BLE001 no table, nothing written
                table = None
            if table is not None and isinstance(key, dict) and table.hash_key_attr in key:
                try:
                    hash_key = DynamoType(key[table.hash_key_attr])
                    range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr in key else None
                except Exception:  # noqa: BLE001 a malformed key wrote nothing
                    hash_key = None
                if hash_key is not None:
                    _touched(table, hash_key, range_key)

    DynamoDBBackend.update_item = patched_update_item

    # 2. Query over its candidates only (moto/dynamodb/models/table.py).
    init = Table.__init__

    def patched_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        if self.range_key_attr:  # moto: defaultdict(dict), one dict per partition
            self.items = defaultdict(SortedPartition)

    Table.__init__ = patched_init
    global _moto_query
    query = _moto_query = Table.query

    def patched_query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
                      scan_index_forward, projection_expressions, index_name=None, consistent_read=False,
                      filter_expression=None, hash_key_conditions=None, range_key_conditions=None,
                      **filter_kwargs):
        candidates = _candidates(self, hash_key, index_name, hash_key_conditions, range_comparison, range_objs,
                                 limit, exclusive_start_key, scan_index_forward, filter_kwargs)
        args = (self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
                projection_expressions, index_name, consistent_read, filter_expression)
        kwargs = dict(hash_key_conditions=hash_key_conditions, range_key_conditions=range_key_conditions, **filter_kwargs)
        if candidates is None:
            return query(*args, **kwargs)
        # moto's query reads self.all_items(): shadow it on this table for this call only
        # (the endpoint serialises requests, so no other request sees the shadow).
        self.all_items = lambda: candidates
        try:
            return query(*args, **kwargs)
        finally:
            del self.__dict__["all_items"]

    Table.query = patched_query

    # 3. TransactWriteItems with an undo log (moto/dynamodb/models/__init__.py).
    def transact_write_items(self, transact_items):
        if len(transact_items) > 100:
            raise TooManyTransactionsException()
        undo = []  # (table, hash key, range key, the item before: an object no longer stored, or None)
        target_items = set()

        def rollback():
            for table, hash_key, range_key, before in reversed(undo):
                if before is None:
                    part = table.items.get(hash_key)
                    if table.range_key_attr:
                        if part is not None:
                            part.pop(range_key, None)
                            if not part:
                                del table.items[hash_key]
                    else:
                        table.items.pop(hash_key, None)
                elif table.range_key_attr:
                    table.items[hash_key][range_key] = before
                else:
                    table.items[hash_key] = before
                _touched(table, hash_key, range_key)

        def check_unicity(table_name, key):
            item = (str(table_name), str(dict(sorted(key.items()))))
            if item in target_items:
                raise MultipleTransactionsException()
            target_items.add(item)

        errors = []  # [(Code, Message, Item), ..], one per item, as moto
        for item in transact_items:
            original_item = None
            if len(list(item.keys())) > 1:
                rollback()
                raise TransactWriteSingleOpException
            try:
                op_type, op = next(iter(item.items()))
                if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                    raise ValueError("Unsupported transaction operation")
                table_name = op["TableName"]
                condition_expression = op.get("ConditionExpression")
                expression_attribute_names = op.get("ExpressionAttributeNames")
                expression_attribute_values = op.get("ExpressionAttributeValues")
                return_values_on_condition_check_failure = op.get("ReturnValuesOnConditionCheckFailure")
                if op_type == "Put":
                    attrs = op["Item"]
                    table = self.get_table(table_name)
                    key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                    if table.range_key_attr is not None:
                        key[table.range_key_attr] = attrs[table.range_key_attr]
                else:
                    key = op["Key"]
                check_unicity(table_name, key)
                current = self.get_item(table_name, key)
                if condition_expression is not None:
                    condition_op = get_filter_expression(
                        condition_expression, expression_attribute_names, expression_attribute_values)
                    if not condition_op.expr(current):
                        if return_values_on_condition_check_failure == "ALL_OLD" and current:
                            original_item = current.to_json()["Attributes"]
                        raise ConditionalCheckFailed(item=original_item)
                if op_type != "ConditionCheck":
                    table = self.get_table(table_name)
                    hash_key, range_key = self.get_keys_value(table, key)
                    # Put and Delete replace the stored object; Update changes it in place.
                    before = copy.deepcopy(current) if op_type == "Update" else current
                    undo.append((table, hash_key, range_key, before))
                # The condition held just above, on this very item, and nothing has run since
                # (requests are serialised): moto's write would only parse and test it again.
                if op_type == "Put":
                    self.put_item(table_name, op["Item"],
                                  expression_attribute_names=expression_attribute_names,
                                  expression_attribute_values=expression_attribute_values)
                elif op_type == "Delete":
                    self.delete_item(table_name, key,
                                     expression_attribute_names=expression_attribute_names,
                                     expression_attribute_values=expression_attribute_values)
                elif op_type == "Update":
                    self.update_item(table_name, key, update_expression=op["UpdateExpression"],
                                     expression_attribute_names=expression_attribute_names,
                                     expression_attribute_values=expression_attribute_values)
                errors.append((None, None, None))
            except (MultipleTransactionsException, MockValidationException):
                rollback()
                raise
            except ConditionalCheckFailed as e:
                errors.append(("ConditionalCheckFailed", str(e.message), original_item))
            except Exception as e:  # noqa: BLE001 moto reports any other failure as this item's reason
                errors.append((type(e).__name__, str(e), original_item))
        if any(code is not None for code, _, _ in errors):
            rollback()
            raise TransactionCanceledException(errors)

    DynamoDBBackend.transact_write_items = transact_write_items

    # 4. Items of read answers without the shape walk (moto/core/responses.py, serialize.py).
    if items_fast:
        from moto.dynamodb.responses import DynamoResult
        DynamoResult.execute_result = _items_fast(DynamoResult.execute_result)
    if request_caches:
        _apply_request_caches()
    _apply_iot_csr()
    _applied = True


# --- patch 6: a certificate for the CSR's key ------------------------------------------

_test_ca = None  # (name, private key) of the CA that issues the local certificates, made once


def _apply_iot_csr():
    """6. CreateCertificateFromCsr: the certificate of the request's own subject and public key."""
    from datetime import datetime, timedelta, timezone
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from moto.iot.models import IoTBackend

    def issued_for(request):
        global _test_ca
        if _test_ca is None:
            _test_ca = (x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Territoire local IoT test CA")]),
                        ec.generate_private_key(ec.SECP256R1()))
        ca_name, ca_key = _test_ca
        now = datetime.now(timezone.utc)
        return (x509.CertificateBuilder().subject_name(request.subject).issuer_name(ca_name)
                .public_key(request.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=365))
                .sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode("ascii"))

    def create_certificate_from_csr(self, csr, set_as_active):
        request = x509.load_pem_x509_csr(csr.encode("utf-8"))
        return self.register_certificate(issued_for(request), ca_certificate_pem=None, set_as_active=set_as_active,
                                         status="INACTIVE")

    IoTBackend.create_certificate_from_csr = create_certificate_from_csr


# --- patch 5: what moto redoes on every request ----------------------------------------

_CACHE_SIZE = 4096  # distinct expressions (with their names and values) kept; then start over


_SCALARS = (str, int, float, bool, type(None))


def _copy_tree(value, memo=None):
    """copy.deepcopy for moto's update-expression trees, faster (what the validator copies)."""
    from moto.dynamodb.parsing.ast_nodes import Node
    if memo is None:
        memo = {}
    if isinstance(value, _SCALARS):
        return value
    done = memo.get(id(value))
    if done is not None:
        return done
    if isinstance(value, Node) and getattr(type(value), "__deepcopy__", None) is None and hasattr(value, "__dict__"):
        copied = object.__new__(type(value))
        memo[id(value)] = copied
        copied.__dict__.update({k: _copy_tree(v, memo) for k, v in value.__dict__.items()})
        return copied
    if type(value) is list:
        copied = memo[id(value)] = []
        copied.extend(_copy_tree(v, memo) for v in value)
        return copied
    return copy.deepcopy(value, memo)


def _apply_request_caches():
    """5. Parse once what does not change between requests (measured: docs/benchmarks.md).

    a. Condition expressions. moto parses a write's condition three times per item of a
       transaction (the handler's validation, the check, the write itself) and once or twice
       for every other write: tokens, paths, names and values substituted, an Op tree. The
       tree depends only on the expression, its ExpressionAttributeNames and its
       ExpressionAttributeValues, and evaluating it changes nothing (every Op's expr() only
       reads), so it is kept under exactly that key, with the names and values the parser
       reports as used (the handler checks them). A parse that fails is not kept: it fails
       again, with moto's message.
    b. Update expressions. moto parses each twice per write: the handler, to list the names
       and values it uses (find_clauses, which only reads the tree), then the backend, to
       hand the tree to its validator, which works on its own deep copy (Validator.__init__:
       deepcopy(expression)) and never changes the tree it was given. So one tree per
       expression string serves both, and every later write of the same expression.
       That copy is moto's generic deepcopy (reduce, reconstruct, per node); the tree's nodes
       are plain objects with lists of children and a parent pointer, so they are copied here
       node by node, memo and all, in half the time (_copy_tree; anything else still goes to
       copy.deepcopy).
    c. Two look-ups moto makes per request, of things fixed once the process runs: the
       folders of moto's own package (listed from disk, then a stat per folder, on every
       request, to find the service's backend) and the action methods of a handler class
       (inspect.getmembers over the class).
    """
    import moto.backends
    import moto.core.responses
    import moto.dynamodb.models
    import moto.dynamodb.responses
    from moto.dynamodb.comparisons import ConditionExpressionParser
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser

    parse, conditions = ConditionExpressionParser.parse, {}

    def cached_parse(self):
        try:
            key = (self.condition_expression,
                   json.dumps(self.expression_attribute_names, sort_keys=True),
                   json.dumps(self.expression_attribute_values, sort_keys=True))
        except (TypeError, ValueError):  # not JSON: moto's own parse decides
            return parse(self)
        hit = conditions.get(key)
        if hit is None:
            op = parse(self)
            if len(conditions) >= _CACHE_SIZE:
                conditions.clear()
            hit = conditions[key] = (op, tuple(self.expr_attr_names_found), tuple(self.expr_attr_values_found))
        else:
            self.expr_attr_names_found.extend(hit[1])
            self.expr_attr_values_found.extend(hit[2])
        return hit[0]

    ConditionExpressionParser.parse = cached_parse

    make, updates = UpdateExpressionParser.make, {}

    class SharedUpdateExpressionParser:
        """What moto's handler and backend see as UpdateExpressionParser: one tree per expression."""

        @staticmethod
        def make(expression):
            tree = updates.get(expression)
            if tree is None:
                tree = make(expression)
                if len(updates) >= _CACHE_SIZE:
                    updates.clear()
                updates[expression] = tree
            return tree

    moto.dynamodb.responses.UpdateExpressionParser = SharedUpdateExpressionParser
    moto.dynamodb.models.UpdateExpressionParser = SharedUpdateExpressionParser

    import moto.dynamodb.parsing.validators
    moto.dynamodb.parsing.validators.deepcopy = _copy_tree

    folders = tuple(moto.backends.list_of_moto_modules())
    moto.backends.list_of_moto_modules = lambda: iter(folders)

    methods, method_names = {}, moto.core.responses.method_names_from_class

    def cached_method_names(clazz):
        names = methods.get(clazz)
        if names is None:
            names = methods[clazz] = method_names(clazz)
        return names

    moto.core.responses.method_names_from_class = cached_method_names


if __name__ == "__main__":
    if "--print-pins" in sys.argv:
        for name, digest in fingerprints().items():
            print(f'    "{name}": "{digest}",')
    else:
        check()
        _self_test()
        apply()
        _query_self_test()
        _cache_self_test()
        import moto
        print(f"moto {moto.__version__}: the {len(PINS)} patched functions are as pinned, "
              "answers without the shape walk equal moto's own, and so do queries by bisection and cached expressions")
