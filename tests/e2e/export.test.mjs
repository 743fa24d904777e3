// "Export to AWS" (src/web/export/): the lab's export shown beside its rules, and downloaded as
// one tar archive that unpacks into the files the page showed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, button, deploy, openPage, region, start, stop } from "./harness.mjs";

let server, url, browser;

before(async () => ({ server, url, browser } = await start(ROOT + "dist")));

after(() => stop({ server, browser }));

describe("Export to AWS", () => {
  test("shows the template and each handler beside its rules, and downloads them as one archive", async () => {
    const { context, page, problems } = await openPage(browser, url);
    try {
      const rules = 'on INSERT, MODIFY, REMOVE\n  count votes by choice\n\non INSERT\n  notify "#votes" "{keys.voter} voted"';
      await deploy(page, rules);
      await button(page, "Export to AWS").click();
      const view = region(page, "Export to AWS");
      const file = (name) => view.locator(".export-file", { has: page.getByRole("heading", { name, exact: true }) });
      await view.getByRole("heading", { name: "template.yaml" }).waitFor();
      const template = await file("template.yaml").locator("pre").textContent();
      assert.match(template, /Type: AWS::Lambda::EventSourceMapping/);
      assert.match(template, /Runtime: python3\.13/);
      // The handler, with the rules it came from beside it.
      const handler = view.locator(".export-file", { has: page.getByRole("heading", { name: /\/app\.py$/ }) });
      const [source, code] = await handler.locator("pre").allTextContents();
      assert.equal(source, rules);
      assert.match(code, /plan\.aggregate\(r, "votes", "count"/);
      assert.match(code, /plan\.notify\("#votes", fill\(\[\[get\(r\.keys, \["voter"\]\), "keys\.voter"\], " voted"\]\)\)/);
      // Node.js instead.
      await view.getByLabel("Node.js 22 (AWS SDK v3)").check();
      await view.getByRole("heading", { name: /\/index\.mjs$/ }).waitFor();
      assert.match(await file("template.yaml").locator("pre").textContent(), /Runtime: nodejs22\.x/);
      // The archive unpacks into the files shown.
      const [download] = await Promise.all([page.waitForEvent("download"), button(page, "Download as one archive (.tar)").click()]);
      assert.equal(download.suggestedFilename(), "streamlab-sam-nodejs.tar");
      const dir = mkdtempSync(join(tmpdir(), "streamlab-export-"));
      const tar = join(dir, "lab.tar");
      await download.saveAs(tar);
      execFileSync("tar", ["xf", tar, "-C", dir]);
      const shown = await file("template.yaml").locator("pre").textContent();
      assert.equal(readFileSync(join(dir, "streamlab-sam-nodejs", "template.yaml"), "utf8"), shown);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
