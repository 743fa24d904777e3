// End-to-end tests of the learner's journey (issue 21): each test pins a moment that lost a
// learner's work or misled them (release build in dist/, Debian's Chromium via playwright-core).
// Run by `make test`; by hand: `node --test --test-concurrency=1 tests/e2e/learner.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { ROOT, button, openPage, put, records, start, stop, until } from "./harness.mjs";

const DIST = process.env.E2E_DIST || ROOT + "dist";

let server, url, browser;

before(async () => ({ server, url, browser } = await start(DIST)));

after(() => stop({ server, browser }));

const openApp = (path = "", options = {}) => openPage(browser, url + path, options);
const text = async (loc) => (await loc.textContent()) ?? "";

/** A scenario whose steps 2 and 4 fail (a missing key, a table that does not exist). */
const partlyFailing = JSON.stringify({ steps: [
  { CreateTable: { TableName: "Orders", KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }], BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" } } },
  { PutItem: { TableName: "Orders", Item: { other: { S: "no key" } } } },
  { PutItem: { TableName: "Orders", Item: { id: { S: "o-1" } } } },
  { DeleteItem: { TableName: "Nope", Key: { id: { S: "o-1" } } } },
] });

describe("the learner's journey (release build)", () => {
  test("an import names each step that failed, with its error", async () => {
    const { context, page, problems } = await openApp();
    try {
      await page.getByLabel("Scenario JSON").fill(partlyFailing);
      await button(page, "Import pasted scenario").click();
      const files = page.locator("#files");
      await until("the import note", async () => /Imported/.test(await text(files)));
      const note = await text(files);
      assert.match(note, /2 steps replayed; 2 steps failed and changed nothing: step 2 \(PutItem\): ValidationException: [^;]*key[^;]*; step 4 \(DeleteItem\): ResourceNotFoundException/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });

  test("a shared link says which of its steps failed", async () => {
    const { context, page, problems } = await openApp();
    try {
      const packed = deflateRawSync(Buffer.from(partlyFailing)).toString("base64url");
      await page.goto(`${url}#s=${packed}`);
      const note = page.locator(".teach-note");
      await until("the link's note", async () => /opened from a shared link/.test(await text(note)));
      assert.match(await text(note), /Not all of the link replayed: 2 steps failed and changed nothing: step 2 \(PutItem\): ValidationException/);
      assert.match(await text(page.locator("#table")), /o-1/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

describe("empty states tell the truth (release build)", () => {
  test("after 24 hours the stream says its records were trimmed, not that none were written", async () => {
    const { context, page, problems } = await openApp();
    try {
      await put(page, '{"voter": {"S": "ana"}}');
      await until("one record", async () => (await records(page).count()) === 1);
      await button(page, "+25 h").click();
      const empty = page.locator("#stream .empty");
      await until("the empty list's note", async () => /trimmed/.test(await text(empty)), 20000);
      assert.match(await text(empty), /older than 24 hours/);
      assert.doesNotMatch(await text(empty), /No records yet/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
