logger = logging.getLogger()
logger.setLevel(logging.INFO)

dynamodb = boto3.client("dynamodb")
sns = boto3.client("sns")

# Physical names of the lab's tables and topics, set by template.yaml.
AGGREGATES_TABLE = os.environ.get("AGGREGATES_TABLE", "")
AGGREGATE_VALUES_TABLE = os.environ.get("AGGREGATE_VALUES_TABLE", "")
FALLBACK_TOPIC = os.environ.get("TOPIC_OTHER_CHANNELS", "")
# With ReportBatchItemFailures on, a failing record is reported by its sequence number
# instead of failing the whole batch.
REPORT_BATCH_ITEM_FAILURES = os.environ.get("REPORT_BATCH_ITEM_FAILURES") == "true"

# DynamoDB numbers have up to 38 significant digits: compute with more, so nothing rounds.
EXACT = Context(prec=80)


# ---------------------------------------------------------------------------------------------
# Values. Every value stays in DynamoDB's JSON form ({"N": "5"}), as the stream record carries
# it; None is an absent value (a missing attribute, or an image the stream does not carry).
# ---------------------------------------------------------------------------------------------


def get(item, path):
    """Reads new.a.b[0]: None when the item or any step of the path is missing."""
    if item is None or not path or not isinstance(path[0], str):
        return None
    value = item.get(path[0])
    for step in path[1:]:
        if value is None:
            return None
        if isinstance(step, str) and "M" in value:
            value = value["M"].get(step)
        elif isinstance(step, int) and "L" in value and step < len(value["L"]):
            value = value["L"][step]
        else:
            return None
    return value


def boolean(b):
    return {"BOOL": bool(b)}


def truthy(v):
    """Only a true boolean is true: a condition on an absent value does not hold."""
    return v is not None and v.get("BOOL") is True


def _number(s):
    return Decimal(s)


def _same(a, b):
    """DynamoDB equality: numbers by value, sets whatever their order, binary by bytes."""
    (ta, va), (tb, vb) = next(iter(a.items())), next(iter(b.items()))
    if ta != tb:
        return False
    if ta == "N":
        return _number(va) == _number(vb)
    if ta == "B":
        return base64.b64decode(va) == base64.b64decode(vb)
    if ta == "NS":
        return sorted(map(_number, va)) == sorted(map(_number, vb))
    if ta == "SS":
        return sorted(va) == sorted(vb)
    if ta == "BS":
        return sorted(map(base64.b64decode, va)) == sorted(map(base64.b64decode, vb))
    if ta == "L":
        return len(va) == len(vb) and all(_same(x, y) for x, y in zip(va, vb))
    if ta == "M":
        return va.keys() == vb.keys() and all(_same(va[k], vb[k]) for k in va)
    return va == vb


def _order(a, b):
    """-1, 0 or 1 for two numbers, two strings (by UTF-8 bytes) or two binaries; None otherwise."""
    (ta, va), (tb, vb) = next(iter(a.items())), next(iter(b.items()))
    if ta != tb:
        return None
    if ta == "N":
        x, y = _number(va), _number(vb)
    elif ta == "S":
        x, y = va.encode("utf-8"), vb.encode("utf-8")
    elif ta == "B":
        x, y = base64.b64decode(va), base64.b64decode(vb)
    else:
        return None
    return (x > y) - (x < y)


def compare(op, a, b):
    """A comparison of the rule language: false whenever a side is absent (even for !=)."""
    if a is None or b is None:
        return boolean(False)
    if op == "=":
        return boolean(_same(a, b))
    if op == "<>":
        return boolean(not _same(a, b))
    o = _order(a, b)
    if o is None:
        return boolean(False)
    return boolean({"<": o < 0, "<=": o <= 0, ">": o > 0, ">=": o >= 0}[op])


def begins_with(a, b):
    if a is not None and b is not None:
        if "S" in a and "S" in b:
            return boolean(a["S"].startswith(b["S"]))
        if "B" in a and "B" in b:
            return boolean(base64.b64decode(a["B"]).startswith(base64.b64decode(b["B"])))
    return boolean(False)


def contains(a, b):
    """Substring of a string, member of a set, or element of a list."""
    if a is None or b is None:
        return boolean(False)
    if "S" in a and "S" in b:
        return boolean(b["S"] in a["S"])
    if "SS" in a and "S" in b:
        return boolean(b["S"] in a["SS"])
    if "NS" in a and "N" in b:
        return boolean(_number(b["N"]) in map(_number, a["NS"]))
    if "BS" in a and "B" in b:
        return boolean(base64.b64decode(b["B"]) in map(base64.b64decode, a["BS"]))
    if "L" in a:
        return boolean(any(_same(x, b) for x in a["L"]))
    return boolean(False)


def changed(r, path):
    """changed(x): a MODIFY whose old and new x differ (appearing or disappearing included)."""
    if r.old is None or r.new is None:
        return boolean(False)
    old, new = get(r.old, path), get(r.new, path)
    if old is None or new is None:
        return boolean(old is not new)
    return boolean(not _same(old, new))


def canonical(d):
    """A number in DynamoDB's canonical form: 1.50 is 1.5, 1E+2 is 100."""
    if d == 0:
        return "0"
    text = format(d.normalize(EXACT), "f")
    return text


def render(v):
    """How a value reads in a message or as a group's name."""
    (t, x), = v.items()
    if t == "S":
        return x
    if t == "N":
        return canonical(_number(x))
    if t == "BOOL":
        return "true" if x else "false"
    if t == "NULL":
        return "null"
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def fill(parts):
    """A message: text pieces, and [value, "new.qty"] pairs (an absent value shows as such)."""
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part[0] is None:
            out.append("<missing " + part[1] + ">")
        else:
            out.append(render(part[0]))
    return "".join(out)


def build(fields):
    """An item or key from [name, value] pairs: an absent value leaves its attribute out."""
    return {name: value for name, value in fields if value is not None}


# ---------------------------------------------------------------------------------------------
# One stream record, and what the rules decided to do with it.
# ---------------------------------------------------------------------------------------------


class Record:
    def __init__(self, record):
        ddb = record.get("dynamodb", {})
        self.event_name = record.get("eventName")
        self.keys = ddb.get("Keys", {})
        self.new = ddb.get("NewImage")
        self.old = ddb.get("OldImage")
        self.sequence_number = ddb.get("SequenceNumber")
        self.event_id = record.get("eventID")
        # A deletion made by the TTL service carries this userIdentity.
        identity = record.get("userIdentity") or {}
        self.ttl = identity.get("type") == "Service" and identity.get("principalId") == "dynamodb.amazonaws.com"

    def handled_by(self, insert, modify, remove, ttl):
        if self.event_name == "INSERT":
            return insert
        if self.event_name == "MODIFY":
            return modify
        if self.event_name == "REMOVE":
            return remove or (ttl and self.ttl)
        return False


class RuleFailed(Exception):
    """A `fail` rule ran: the record fails, and none of its effects happen."""

    def __init__(self, reason, report="default"):
        super().__init__(reason)
        self.reason = reason
        self.report = report


class Plan:
    """What one record's rules do, collected before anything is done (a failing rule leaves
    no effect of its record behind)."""

    def __init__(self):
        self.effects = []
        # (aggregate, group) -> [count change, sum change, {value: multiplicity change}]
        self.deltas = {}

    def notify(self, channel, message):
        self.effects.append(("notify", channel, message))

    def put(self, table, fields):
        self.effects.append(("put", table, build(fields)))

    def delete(self, table, key):
        self.effects.append(("delete", table, build(key)))

    def update(self, table, key, add, set_):
        add = [(n, v) for n, v in add if v is not None]
        set_ = [(n, v) for n, v in set_ if v is not None]
        self.effects.append(("update", table, build(key), add, set_))

    def aggregate(self, r, name, kind, value, group, where):
        """A record takes its old version out of the aggregate and puts its new version in."""
        sides = []
        if r.event_name in ("MODIFY", "REMOVE"):
            sides.append((-1, r.old))
        if r.event_name in ("INSERT", "MODIFY"):
            sides.append((1, r.new))
        for sign, side in sides:
            if where is not None and not truthy(where(side)):
                continue
            if group is None:
                g = "*"
            else:
                gv = group(side)
                if gv is None:
                    continue
                g = render(gv)
            number = None
            if value is not None:
                v = value(side)
                if v is None or "N" not in v:
                    continue  # as SQL's SUM skips NULL: no number, no part in the aggregate
                number = _number(v["N"])
            d = self.deltas.setdefault((name, kind, g), [0, Decimal(0), {}])
            d[0] += sign
            if number is not None and kind in ("sum", "avg"):
                d[1] = EXACT.add(d[1], number if sign > 0 else -number)
            if number is not None and kind in ("min", "max"):
                key = canonical(number)
                d[2][key] = d[2].get(key, 0) + sign


# ---------------------------------------------------------------------------------------------
# Doing it: SNS publishes, DynamoDB writes, aggregate updates.
# ---------------------------------------------------------------------------------------------


def table_name(name):
    return TABLES.get(name, name)


def apply_effects(effects):
    for effect in effects:
        kind, target = effect[0], effect[1]
        if kind == "notify":
            message = effect[2]
            logger.info("notify %s: %s", target, message)
            sns.publish(
                TopicArn=TOPICS.get(target, FALLBACK_TOPIC),
                Message=message,
                MessageAttributes={"channel": {"DataType": "String", "StringValue": target}},
            )
        elif kind == "put":
            dynamodb.put_item(TableName=table_name(target), Item=effect[2])
        elif kind == "delete":
            dynamodb.delete_item(TableName=table_name(target), Key=effect[2])
        elif kind == "update":
            key, add, set_ = effect[2], effect[3], effect[4]
            names, values, sets, adds = {}, {}, [], []
            for i, (attr, value) in enumerate(set_):
                names["#s%d" % i], values[":s%d" % i] = attr, value
                sets.append("#s%d = :s%d" % (i, i))
            for i, (attr, value) in enumerate(add):
                names["#a%d" % i], values[":a%d" % i] = attr, value
                adds.append("#a%d :a%d" % (i, i))
            expression = " ".join(
                part for part in ("SET " + ", ".join(sets) if sets else "", "ADD " + ", ".join(adds) if adds else "") if part
            )
            request = {"TableName": table_name(target), "Key": key}
            if expression:
                request.update(
                    UpdateExpression=expression, ExpressionAttributeNames=names, ExpressionAttributeValues=values
                )
            dynamodb.update_item(**request)


def _delete_if_zero(table, key, attribute):
    try:
        dynamodb.delete_item(
            TableName=table,
            Key=key,
            ConditionExpression="#n = :zero",
            ExpressionAttributeNames={"#n": attribute},
            ExpressionAttributeValues={":zero": {"N": "0"}},
        )
    except dynamodb.exceptions.ConditionalCheckFailedException:
        pass  # another record moved it in the meantime: it is not empty any more


def store_aggregates(deltas):
    """Adds one record's changes to the aggregates table, one atomic ADD per group. A group
    whose count comes back to 0 is deleted (only if it is still 0)."""
    for (name, kind, group), (count, total, values) in sorted(deltas.items()):
        if count == 0 and total == 0 and not any(values.values()):
            continue
        key = {"id": {"S": FUNCTION_NAME + "/" + name}, "group": {"S": group}}
        expression = "SET #kind = :kind ADD #count :count"
        attr_values = {":kind": {"S": kind}, ":count": {"N": str(count)}}
        if kind in ("sum", "avg"):
            expression += ", #sum :sum"
            attr_values[":sum"] = {"N": canonical(total)}
        result = dynamodb.update_item(
            TableName=AGGREGATES_TABLE,
            Key=key,
            UpdateExpression=expression,
            ExpressionAttributeNames={"#kind": "kind", "#count": "count", **({"#sum": "sum"} if kind in ("sum", "avg") else {})},
            ExpressionAttributeValues=attr_values,
            ReturnValues="ALL_NEW",
        )
        # min and max remember every value (so that taking out the current minimum uncovers the
        # next one): one item per value, holding how many times it is in.
        for value, change in sorted(values.items()):
            if change == 0:
                continue
            vkey = {"id": {"S": FUNCTION_NAME + "/" + name + "/" + group}, "value": {"N": value}}
            moved = dynamodb.update_item(
                TableName=AGGREGATE_VALUES_TABLE,
                Key=vkey,
                UpdateExpression="ADD #n :n",
                ExpressionAttributeNames={"#n": "n"},
                ExpressionAttributeValues={":n": {"N": str(change)}},
                ReturnValues="UPDATED_NEW",
            )
            if moved["Attributes"]["n"]["N"] == "0":
                _delete_if_zero(AGGREGATE_VALUES_TABLE, vkey, "n")
        if result["Attributes"]["count"]["N"] == "0":
            _delete_if_zero(AGGREGATES_TABLE, key, "count")


def window_add(state, deltas):
    """Tumbling windows: the aggregates live in the window's state, which Lambda hands from one
    invocation of the window to the next. Per group: count, exact sum, and the values' counts."""
    for (name, kind, group), (count, total, values) in sorted(deltas.items()):
        groups = state.setdefault(name, {})
        acc = groups.get(group, {"count": 0, "sum": "0", "values": {}})
        acc["count"] += count
        acc["sum"] = canonical(EXACT.add(Decimal(acc["sum"]), total))
        for value, change in values.items():
            n = acc["values"].get(value, 0) + change
            if n == 0:
                acc["values"].pop(value, None)
            else:
                acc["values"][value] = n
        if acc["count"] == 0:
            groups.pop(group, None)
        else:
            groups[group] = acc


def aggregate_value(kind, acc):
    """The value an aggregate shows for one group (avg to 15 significant digits)."""
    positive = [Decimal(v) for v, n in acc["values"].items() if n > 0]
    if kind == "count":
        return {"N": str(acc["count"])}
    if kind == "sum":
        return {"N": acc["sum"]}
    if kind == "avg":
        return {"N": canonical(Context(prec=15).divide(Decimal(acc["sum"]), Decimal(acc["count"])))}
    if not positive:
        return {"NULL": True}
    return {"N": canonical(min(positive) if kind == "min" else max(positive))}


def save_window(window, state):
    """At the window's final invocation: saves each aggregate's result for the window."""
    for name, kind in AGGREGATES:
        groups = state.get(name, {})
        dynamodb.put_item(
            TableName=AGGREGATES_TABLE,
            Item={
                "id": {"S": FUNCTION_NAME + "/" + name},
                "group": {"S": "window " + window["start"]},
                "kind": {"S": kind},
                "window": {"M": {"start": {"S": window["start"]}, "end": {"S": window["end"]}}},
                "values": {"M": {g: aggregate_value(kind, acc) for g, acc in groups.items()}},
            },
        )


# ---------------------------------------------------------------------------------------------
# The handler.
# ---------------------------------------------------------------------------------------------


def handler(event, context):
    windowed = "window" in event
    state = event.get("state") or {}
    if windowed and event.get("isFinalInvokeForWindow"):
        # The window is over: Lambda drops its state after this invocation.
        save_window(event["window"], state)
        return {"state": {}}
    for record in event.get("Records", []):
        r = Record(record)
        try:
            plan = Plan()
            run_rules(r, plan)
            try:
                if windowed:
                    window_add(state, plan.deltas)
                else:
                    store_aggregates(plan.deltas)
                apply_effects(plan.effects)
            except Exception as error:  # a write refused by DynamoDB fails the record
                raise RuleFailed(str(error)) from error
        except RuleFailed as failure:
            logger.error("record %s failed: %s", r.sequence_number, failure.reason)
            report = failure.report
            if report == "swallow":
                continue  # the handler's own choice: the record is skipped, never retried
            if report == "default" and not REPORT_BATCH_ITEM_FAILURES:
                raise
            if report in ("default", "sequence"):
                identifier = r.sequence_number
            elif report == "eventID":
                identifier = r.event_id
            elif report == "null":
                identifier = None
            else:
                identifier = report["text"]
            response = {"batchItemFailures": [{"itemIdentifier": identifier}]}
            if windowed:
                response["state"] = state
            return response
    if windowed:
        return {"state": state}
    return {"batchItemFailures": []}
