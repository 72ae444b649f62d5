import { runStoreContract } from "../test-helpers/store.case.js";
import { MemoryApprovalStore } from "./memory.js";

runStoreContract("MemoryApprovalStore", async () => {
  const store = new MemoryApprovalStore();
  return { store, reopen: async () => store };
});
