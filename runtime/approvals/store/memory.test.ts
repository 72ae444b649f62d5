import { MemoryApprovalStore } from "./memory.js";
import { runStoreContract } from "./store.case.js";

runStoreContract("MemoryApprovalStore", async () => {
  const store = new MemoryApprovalStore();
  return { store, reopen: async () => store };
});
