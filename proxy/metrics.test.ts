import { describe, expect, it } from "vitest";
import { ProxyMetrics } from "./metrics.js";

describe("ProxyMetrics", () => {
  it("exposes decision and upstream histograms in the Prometheus text format", async () => {
    const m = new ProxyMetrics();
    m.observeDecision("allow", 0.02); // 20 µs
    m.observeDecision("deny", 2); // 2 ms
    m.observeUpstream("mcp", 200, 0.7);
    m.observeUpstream("mcp", 204, 40);
    m.observeUpstream("mcp", 502, 1);
    const text = await m.registry.metrics();
    expect(text).toContain('paracle_decisions_total{decision="allow"} 1');
    expect(text).toContain('paracle_decisions_total{decision="deny"} 1');
    expect(text).toContain("# TYPE paracle_decision_duration_seconds histogram");
    expect(text).toContain('paracle_decision_duration_seconds_bucket{le="0.00001"} 0');
    expect(text).toContain('paracle_decision_duration_seconds_bucket{le="0.00005"} 1');
    expect(text).toContain('paracle_decision_duration_seconds_bucket{le="0.001"} 1');
    expect(text).toContain('paracle_decision_duration_seconds_bucket{le="0.005"} 2');
    expect(text).toContain('paracle_decision_duration_seconds_bucket{le="+Inf"} 2');
    expect(text).toContain("paracle_decision_duration_seconds_count 2");
    expect(text).toContain("paracle_decision_duration_seconds_sum 0.00202");
    expect(text).toContain(
      'paracle_upstream_duration_seconds_bucket{upstream="mcp",status="2xx",le="0.001"} 1',
    );
    expect(text).toContain(
      'paracle_upstream_duration_seconds_bucket{upstream="mcp",status="2xx",le="0.05"} 2',
    );
    expect(text).toContain(
      'paracle_upstream_duration_seconds_count{upstream="mcp",status="2xx"} 2',
    );
    // a bound is inclusive (`le`): 1 ms lands in the 0.001 bucket
    expect(text).toContain(
      'paracle_upstream_duration_seconds_bucket{upstream="mcp",status="5xx",le="0.001"} 1',
    );
    expect(text).toContain(
      'paracle_upstream_duration_seconds_count{upstream="mcp",status="5xx"} 1',
    );
  });

  it("resets with the registry", async () => {
    const m = new ProxyMetrics();
    m.observeUpstream("a", 200, 1);
    m.registry.resetMetrics();
    expect(await m.registry.metrics()).not.toContain("paracle_upstream_duration_seconds_count");
  });
});
