const dynamodb = new DynamoDBClient({});
const sns = new SNSClient({});

// Physical names of the lab's tables and topics, set by template.yaml.
const AGGREGATES_TABLE = process.env.AGGREGATES_TABLE ?? "";
const AGGREGATE_VALUES_TABLE = process.env.AGGREGATE_VALUES_TABLE ?? "";
const FALLBACK_TOPIC = process.env.TOPIC_OTHER_CHANNELS ?? "";
// With ReportBatchItemFailures on, a failing record is reported by its sequence number
// instead of failing the whole batch.
const REPORT_BATCH_ITEM_FAILURES = process.env.REPORT_BATCH_ITEM_FAILURES === "true";

// ---------------------------------------------------------------------------------------------
// Exact decimal numbers (DynamoDB numbers have up to 38 significant digits; a JavaScript number
// has about 16): a number is a BigInt of digits and a power of ten.
// ---------------------------------------------------------------------------------------------

function decimal(text) {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a number: ${text}`);
  const fraction = m[3] ?? "";
  const digits = BigInt((m[2] || "0") + fraction);
  return { digits: m[1] === "-" ? -digits : digits, exp: Number(m[4] ?? 0) - fraction.length };
}

function align(a, b) {
  const exp = Math.min(a.exp, b.exp);
  return [a.digits * 10n ** BigInt(a.exp - exp), b.digits * 10n ** BigInt(b.exp - exp), exp];
}

function decimalCompare(a, b) {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function decimalAdd(a, b) {
  const [x, y, exp] = align(a, b);
  return { digits: x + y, exp };
}

/** A number in DynamoDB's canonical form: 1.50 is 1.5, 1E+2 is 100. */
function canonical(d) {
  let { digits, exp } = d;
  if (digits === 0n) return "0";
  while (exp < 0 && digits % 10n === 0n) {
    digits /= 10n;
    exp += 1;
  }
  const negative = digits < 0n;
  let text = (negative ? -digits : digits).toString();
  if (exp >= 0) {
    text += "0".repeat(exp);
  } else {
    const point = text.length + exp;
    text = point > 0 ? `${text.slice(0, point)}.${text.slice(point)}` : `0.${"0".repeat(-point)}${text}`;
  }
  return (negative ? "-" : "") + text;
}

// ---------------------------------------------------------------------------------------------
// Values. Every value stays in DynamoDB's JSON form ({N: "5"}), as the stream record carries
// it; null is an absent value (a missing attribute, or an image the stream does not carry).
// ---------------------------------------------------------------------------------------------

/** Reads new.a.b[0]: null when the item or any step of the path is missing. */
function get(item, path) {
  if (item == null || path.length === 0 || typeof path[0] !== "string") return null;
  let value = Object.hasOwn(item, path[0]) ? item[path[0]] : null;
  for (const step of path.slice(1)) {
    if (value == null) return null;
    if (typeof step === "string" && value.M !== undefined) {
      value = Object.hasOwn(value.M, step) ? value.M[step] : null;
    } else if (typeof step === "number" && value.L !== undefined && step < value.L.length) {
      value = value.L[step];
    } else {
      return null;
    }
  }
  return value ?? null;
}

function boolean(b) {
  return { BOOL: Boolean(b) };
}

/** Only a true boolean is true: a condition on an absent value does not hold. */
function truthy(v) {
  return v != null && v.BOOL === true;
}

function only(v) {
  const [type] = Object.keys(v);
  return [type, v[type]];
}

function bytes(b64) {
  return Buffer.from(b64, "base64");
}

function byteOrder(x, y) {
  return Buffer.compare(x, y);
}

/** DynamoDB equality: numbers by value, sets whatever their order, binary by bytes. */
function same(a, b) {
  const [ta, va] = only(a);
  const [tb, vb] = only(b);
  if (ta !== tb) return false;
  switch (ta) {
    case "N":
      return decimalCompare(decimal(va), decimal(vb)) === 0;
    case "B":
      return byteOrder(bytes(va), bytes(vb)) === 0;
    case "SS":
      return va.length === vb.length && va.every((x) => vb.includes(x));
    case "NS":
      return va.length === vb.length && va.every((x) => vb.some((y) => decimalCompare(decimal(x), decimal(y)) === 0));
    case "BS":
      return va.length === vb.length && va.every((x) => vb.some((y) => byteOrder(bytes(x), bytes(y)) === 0));
    case "L":
      return va.length === vb.length && va.every((x, i) => same(x, vb[i]));
    case "M": {
      const ka = Object.keys(va);
      return ka.length === Object.keys(vb).length && ka.every((k) => Object.hasOwn(vb, k) && same(va[k], vb[k]));
    }
    default:
      return va === vb;
  }
}

/** -1, 0 or 1 for two numbers, two strings (by UTF-8 bytes) or two binaries; null otherwise. */
function order(a, b) {
  const [ta, va] = only(a);
  const [tb, vb] = only(b);
  if (ta !== tb) return null;
  if (ta === "N") return decimalCompare(decimal(va), decimal(vb));
  if (ta === "S") return Math.sign(byteOrder(Buffer.from(va, "utf8"), Buffer.from(vb, "utf8")));
  if (ta === "B") return Math.sign(byteOrder(bytes(va), bytes(vb)));
  return null;
}

/** A comparison of the rule language: false whenever a side is absent (even for <>). */
function compare(op, a, b) {
  if (a == null || b == null) return boolean(false);
  if (op === "=") return boolean(same(a, b));
  if (op === "<>") return boolean(!same(a, b));
  const o = order(a, b);
  if (o === null) return boolean(false);
  return boolean({ "<": o < 0, "<=": o <= 0, ">": o > 0, ">=": o >= 0 }[op]);
}

function begins_with(a, b) {
  if (a != null && b != null) {
    if (a.S !== undefined && b.S !== undefined) return boolean(a.S.startsWith(b.S));
    if (a.B !== undefined && b.B !== undefined) {
      const x = bytes(a.B);
      const y = bytes(b.B);
      return boolean(x.length >= y.length && byteOrder(x.subarray(0, y.length), y) === 0);
    }
  }
  return boolean(false);
}

/** Substring of a string, member of a set, or element of a list. */
function contains(a, b) {
  if (a == null || b == null) return boolean(false);
  if (a.S !== undefined && b.S !== undefined) return boolean(a.S.includes(b.S));
  if (a.SS !== undefined && b.S !== undefined) return boolean(a.SS.includes(b.S));
  if (a.NS !== undefined && b.N !== undefined) {
    return boolean(a.NS.some((x) => decimalCompare(decimal(x), decimal(b.N)) === 0));
  }
  if (a.BS !== undefined && b.B !== undefined) return boolean(a.BS.some((x) => byteOrder(bytes(x), bytes(b.B)) === 0));
  if (a.L !== undefined) return boolean(a.L.some((x) => same(x, b)));
  return boolean(false);
}

/** changed(x): a MODIFY whose old and new x differ (appearing or disappearing included). */
function changed(r, path) {
  if (r.old == null || r.new == null) return boolean(false);
  const before = get(r.old, path);
  const after = get(r.new, path);
  if (before == null || after == null) return boolean(before !== after);
  return boolean(!same(before, after));
}

/** JSON with sorted keys and no spaces, as the lab shows a list, map or set in a message. */
function sortedJson(v) {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** How a value reads in a message or as a group's name. */
function render(v) {
  const [t, x] = only(v);
  if (t === "S") return x;
  if (t === "N") return canonical(decimal(x));
  if (t === "BOOL") return x ? "true" : "false";
  if (t === "NULL") return "null";
  return sortedJson(v);
}

/** A message: text pieces, and [value, "new.qty"] pairs (an absent value shows as such). */
function fill(parts) {
  return parts
    .map((part) => (typeof part === "string" ? part : part[0] == null ? `<missing ${part[1]}>` : render(part[0])))
    .join("");
}

/** An item or key from [name, value] pairs: an absent value leaves its attribute out. */
function build(fields) {
  const item = {};
  for (const [name, value] of fields) if (value != null) item[name] = value;
  return item;
}

// ---------------------------------------------------------------------------------------------
// One stream record, and what the rules decided to do with it.
// ---------------------------------------------------------------------------------------------

class Record {
  constructor(record) {
    const ddb = record.dynamodb ?? {};
    this.event_name = record.eventName;
    this.keys = ddb.Keys ?? {};
    this.new = ddb.NewImage ?? null;
    this.old = ddb.OldImage ?? null;
    this.sequenceNumber = ddb.SequenceNumber;
    this.eventId = record.eventID;
    // A deletion made by the TTL service carries this userIdentity.
    const identity = record.userIdentity ?? {};
    this.ttl = identity.type === "Service" && identity.principalId === "dynamodb.amazonaws.com";
  }

  handled_by(insert, modify, remove, ttl) {
    if (this.event_name === "INSERT") return insert;
    if (this.event_name === "MODIFY") return modify;
    if (this.event_name === "REMOVE") return remove || (ttl && this.ttl);
    return false;
  }
}

/** A `fail` rule ran: the record fails, and none of its effects happen. */
class RuleFailed extends Error {
  constructor(reason, report = "default") {
    super(reason);
    this.name = "RuleFailed";
    this.reason = reason;
    this.report = report;
  }
}

/** What one record's rules do, collected before anything is done. */
class Plan {
  constructor() {
    this.effects = [];
    // "aggregate\u0000kind\u0000group" -> {name, kind, group, count, sum, values: {value: change}}
    this.deltas = new Map();
  }

  notify(channel, message) {
    this.effects.push({ kind: "notify", channel, message });
  }

  put(table, fields) {
    this.effects.push({ kind: "put", table, item: build(fields) });
  }

  delete(table, key) {
    this.effects.push({ kind: "delete", table, key: build(key) });
  }

  update(table, key, add, set) {
    const present = (pairs) => pairs.filter(([, v]) => v != null);
    this.effects.push({ kind: "update", table, key: build(key), add: present(add), set: present(set) });
  }

  /** A record takes its old version out of the aggregate and puts its new version in. */
  aggregate(r, name, kind, value, group, where) {
    const sides = [];
    if (r.event_name === "MODIFY" || r.event_name === "REMOVE") sides.push([-1, r.old]);
    if (r.event_name === "INSERT" || r.event_name === "MODIFY") sides.push([1, r.new]);
    for (const [sign, side] of sides) {
      if (where !== null && !truthy(where(side))) continue;
      let g = "*";
      if (group !== null) {
        const gv = group(side);
        if (gv == null) continue;
        g = render(gv);
      }
      let number = null;
      if (value !== null) {
        const v = value(side);
        if (v == null || v.N === undefined) continue; // as SQL's SUM skips NULL
        number = decimal(v.N);
      }
      const id = `${name}\u0000${kind}\u0000${g}`;
      if (!this.deltas.has(id)) this.deltas.set(id, { name, kind, group: g, count: 0, sum: decimal("0"), values: {} });
      const d = this.deltas.get(id);
      d.count += sign;
      if (number !== null && (kind === "sum" || kind === "avg")) {
        d.sum = decimalAdd(d.sum, sign > 0 ? number : { digits: -number.digits, exp: number.exp });
      }
      if (number !== null && (kind === "min" || kind === "max")) {
        const key = canonical(number);
        d.values[key] = (d.values[key] ?? 0) + sign;
      }
    }
  }

  sortedDeltas() {
    return [...this.deltas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);
  }
}

// ---------------------------------------------------------------------------------------------
// Doing it: SNS publishes, DynamoDB writes, aggregate updates.
// ---------------------------------------------------------------------------------------------

function tableName(name) {
  return Object.hasOwn(TABLES, name) ? TABLES[name] : name;
}

async function applyEffects(effects) {
  for (const e of effects) {
    if (e.kind === "notify") {
      console.log(`notify ${e.channel}: ${e.message}`);
      await sns.send(
        new PublishCommand({
          TopicArn: Object.hasOwn(TOPICS, e.channel) ? TOPICS[e.channel] : FALLBACK_TOPIC,
          Message: e.message,
          MessageAttributes: { channel: { DataType: "String", StringValue: e.channel } },
        }),
      );
    } else if (e.kind === "put") {
      await dynamodb.send(new PutItemCommand({ TableName: tableName(e.table), Item: e.item }));
    } else if (e.kind === "delete") {
      await dynamodb.send(new DeleteItemCommand({ TableName: tableName(e.table), Key: e.key }));
    } else if (e.kind === "update") {
      const names = {};
      const values = {};
      const sets = e.set.map(([attr, value], i) => {
        names[`#s${i}`] = attr;
        values[`:s${i}`] = value;
        return `#s${i} = :s${i}`;
      });
      const adds = e.add.map(([attr, value], i) => {
        names[`#a${i}`] = attr;
        values[`:a${i}`] = value;
        return `#a${i} :a${i}`;
      });
      const expression = [sets.length ? `SET ${sets.join(", ")}` : "", adds.length ? `ADD ${adds.join(", ")}` : ""]
        .filter(Boolean)
        .join(" ");
      const request = { TableName: tableName(e.table), Key: e.key };
      if (expression) {
        Object.assign(request, {
          UpdateExpression: expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        });
      }
      await dynamodb.send(new UpdateItemCommand(request));
    }
  }
}

async function deleteIfZero(table, key, attribute) {
  try {
    await dynamodb.send(
      new DeleteItemCommand({
        TableName: table,
        Key: key,
        ConditionExpression: "#n = :zero",
        ExpressionAttributeNames: { "#n": attribute },
        ExpressionAttributeValues: { ":zero": { N: "0" } },
      }),
    );
  } catch (error) {
    // Another record moved it in the meantime: it is not empty any more.
    if (error.name !== "ConditionalCheckFailedException") throw error;
  }
}

/** Adds one record's changes to the aggregates table, one atomic ADD per group. A group whose
 * count comes back to 0 is deleted (only if it is still 0). */
async function storeAggregates(plan) {
  for (const d of plan.sortedDeltas()) {
    const anyValue = Object.values(d.values).some((n) => n !== 0);
    if (d.count === 0 && d.sum.digits === 0n && !anyValue) continue;
    const key = { id: { S: `${FUNCTION_NAME}/${d.name}` }, group: { S: d.group } };
    const withSum = d.kind === "sum" || d.kind === "avg";
    const result = await dynamodb.send(
      new UpdateItemCommand({
        TableName: AGGREGATES_TABLE,
        Key: key,
        UpdateExpression: `SET #kind = :kind ADD #count :count${withSum ? ", #sum :sum" : ""}`,
        ExpressionAttributeNames: { "#kind": "kind", "#count": "count", ...(withSum ? { "#sum": "sum" } : {}) },
        ExpressionAttributeValues: {
          ":kind": { S: d.kind },
          ":count": { N: String(d.count) },
          ...(withSum ? { ":sum": { N: canonical(d.sum) } } : {}),
        },
        ReturnValues: "ALL_NEW",
      }),
    );
    // min and max remember every value (so that taking out the current minimum uncovers the
    // next one): one item per value, holding how many times it is in.
    for (const [value, change] of Object.entries(d.values).sort()) {
      if (change === 0) continue;
      const vkey = { id: { S: `${FUNCTION_NAME}/${d.name}/${d.group}` }, value: { N: value } };
      const moved = await dynamodb.send(
        new UpdateItemCommand({
          TableName: AGGREGATE_VALUES_TABLE,
          Key: vkey,
          UpdateExpression: "ADD #n :n",
          ExpressionAttributeNames: { "#n": "n" },
          ExpressionAttributeValues: { ":n": { N: String(change) } },
          ReturnValues: "UPDATED_NEW",
        }),
      );
      if (moved.Attributes.n.N === "0") await deleteIfZero(AGGREGATE_VALUES_TABLE, vkey, "n");
    }
    if (result.Attributes.count.N === "0") await deleteIfZero(AGGREGATES_TABLE, key, "count");
  }
}

/** Tumbling windows: the aggregates live in the window's state, which Lambda hands from one
 * invocation of the window to the next. Per group: count, exact sum, and the values' counts. */
function windowAdd(state, plan) {
  for (const d of plan.sortedDeltas()) {
    const groups = (state[d.name] ??= {});
    const acc = groups[d.group] ?? { count: 0, sum: "0", values: {} };
    acc.count += d.count;
    acc.sum = canonical(decimalAdd(decimal(acc.sum), d.sum));
    for (const [value, change] of Object.entries(d.values)) {
      const n = (acc.values[value] ?? 0) + change;
      if (n === 0) delete acc.values[value];
      else acc.values[value] = n;
    }
    if (acc.count === 0) delete groups[d.group];
    else groups[d.group] = acc;
  }
}

/** The value an aggregate shows for one group (avg to 15 significant digits). */
function aggregateValue(kind, acc) {
  const positive = Object.entries(acc.values)
    .filter(([, n]) => n > 0)
    .map(([v]) => decimal(v));
  if (kind === "count") return { N: String(acc.count) };
  if (kind === "sum") return { N: acc.sum };
  if (kind === "avg") return { N: canonical(decimal(String(Number((Number(acc.sum) / acc.count).toPrecision(15))))) };
  if (positive.length === 0) return { NULL: true };
  const pick = positive.reduce((a, b) => ((kind === "min" ? decimalCompare(b, a) < 0 : decimalCompare(b, a) > 0) ? b : a));
  return { N: canonical(pick) };
}

/** At the window's final invocation: saves each aggregate's result for the window. */
async function saveWindow(window, state) {
  for (const [name, kind] of AGGREGATES) {
    const groups = state[name] ?? {};
    const values = {};
    for (const [g, acc] of Object.entries(groups)) values[g] = aggregateValue(kind, acc);
    await dynamodb.send(
      new PutItemCommand({
        TableName: AGGREGATES_TABLE,
        Item: {
          id: { S: `${FUNCTION_NAME}/${name}` },
          group: { S: `window ${window.start}` },
          kind: { S: kind },
          window: { M: { start: { S: window.start }, end: { S: window.end } } },
          values: { M: values },
        },
      }),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The handler.
// ---------------------------------------------------------------------------------------------

export const handler = async (event) => {
  const windowed = event.window !== undefined;
  const state = event.state ?? {};
  if (windowed && event.isFinalInvokeForWindow) {
    // The window is over: Lambda drops its state after this invocation.
    await saveWindow(event.window, state);
    return { state: {} };
  }
  for (const record of event.Records ?? []) {
    const r = new Record(record);
    try {
      const plan = new Plan();
      runRules(r, plan);
      try {
        if (windowed) windowAdd(state, plan);
        else await storeAggregates(plan);
        await applyEffects(plan.effects);
      } catch (error) {
        // A write refused by DynamoDB fails the record.
        const failure = new RuleFailed(`${error.name}: ${error.message}`);
        failure.cause = error;
        throw failure;
      }
    } catch (failure) {
      if (!(failure instanceof RuleFailed)) throw failure;
      console.error(`record ${r.sequenceNumber} failed: ${failure.reason}`);
      const report = failure.report;
      if (report === "swallow") continue; // the handler's own choice: the record is skipped, never retried
      if (report === "default" && !REPORT_BATCH_ITEM_FAILURES) throw failure;
      let identifier;
      if (report === "default" || report === "sequence") identifier = r.sequenceNumber;
      else if (report === "eventID") identifier = r.eventId;
      else if (report === "null") identifier = null;
      else identifier = report.text;
      const response = { batchItemFailures: [{ itemIdentifier: identifier }] };
      if (windowed) response.state = state;
      return response;
    }
  }
  return windowed ? { state } : { batchItemFailures: [] };
};
