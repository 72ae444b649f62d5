/** Where a command writes and how it reads stdin: injected so tests run commands in-process. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
}

export const processIO: CommandIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  },
};

/** Exit codes of the compiler's commands (ARCHITECTURE.md): 0 ok, 1 policy errors, 2 usage/IO. */
export const EXIT = { ok: 0, policy: 1, usage: 2 } as const;
