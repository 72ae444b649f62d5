// Quick start main job. Grows into: demo MCP tool server + sidecar with the shipped policy pack.
console.log("paracle-governance: skeleton ready");
