import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { requestFor } from "../test-helpers/fixtures.js";
import { runStoreContract } from "../test-helpers/store.case.js";
import { LmdbApprovalStore } from "./lmdb.js";

runStoreContract("LmdbApprovalStore", async () => {
  const dir = await mkdtemp(join(tmpdir(), "paracle-approvals-"));
  const store = await LmdbApprovalStore.open(dir);
  return {
    store,
    reopen: async () => {
      await store.close();
      return LmdbApprovalStore.open(dir);
    },
  };
});

it("writes an LMDB environment in the given directory", async () => {
  const dir = join(await mkdtemp(join(tmpdir(), "paracle-approvals-")), "approvals");
  const store = await LmdbApprovalStore.open(dir);
  await store.insert(requestFor());
  await store.close();
  expect((await readdir(dir)).sort()).toContain("data.mdb");
});
