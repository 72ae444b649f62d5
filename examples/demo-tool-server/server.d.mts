export interface DemoToolServer {
  url: string;
  port: number;
  calls: { protocol: string; tool: string; args: Record<string, unknown> }[];
  close(): Promise<void>;
}
export function startDemoToolServer(opts?: {
  port?: number;
  host?: string;
  jsonResponse?: boolean;
}): Promise<DemoToolServer>;
