/**
 * Worker-thread entry of a split verification walk (verify.ts): runs the record side
 * (verify-records.ts) over the records [start, end) of the log at `path` and posts the result.
 * lmdb-js shares one LMDB environment between the threads of a process.
 */
import { parentPort, workerData } from "node:worker_threads";
import { AuditStorage } from "./storage.js";
import type { Durability } from "./types.js";
import { ProblemList } from "./verify.js";
import { checkRecords } from "./verify-records.js";

const { path, durability, readOnly, start, end, max } = workerData as {
  path: string;
  durability: Durability;
  readOnly: boolean;
  start: number;
  end: number;
  max: number;
};
const storage = AuditStorage.open(path, { durability, readOnly });
try {
  parentPort?.postMessage(checkRecords(storage, start, end, new ProblemList(max)));
} finally {
  await storage.close();
}
