// Appends under load until killed; prints the seq of every append whose promise resolved.
// argv: <audit index.js> <log dir> <durability>
const [, , indexPath, dir, durability] = process.argv;
const { AuditTrail } = await import(indexPath);
const trail = await AuditTrail.open({ path: dir, durability });
process.stdout.write(`open ${trail.size}\n`);
let n = 0;
const burst = () => {
  for (let i = 0; i < 50; i++) {
    const k = n++;
    trail
      .append({
        type: "agent.action",
        actor: { id: `agent-${k % 5}`, kind: "agent" },
        action: "db.write",
        outcome: k % 3 === 0 ? "denied" : "success",
        risk: { score: k % 100, level: "medium" },
        context: { k, pad: "x".repeat(k % 200) },
      })
      .then((r) => process.stdout.write(`${r.seq}\n`));
  }
  setImmediate(burst);
};
burst();
