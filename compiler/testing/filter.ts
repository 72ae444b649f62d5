/**
 * `--filter <pattern>`: selects cases by `suite name/case name`. Case-insensitive; `*` matches
 * any run of characters; a pattern without `*` matches as a substring; `/re/` is a regular
 * expression.
 */
export function caseFilter(pattern: string | undefined): (suite: string, name: string) => boolean {
  if (pattern === undefined || pattern === "") return () => true;
  let re: RegExp;
  const literal = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (literal) re = new RegExp(literal[1]!, literal[2]!.includes("i") ? "iu" : "u");
  else if (pattern.includes("*")) {
    const body = pattern
      .split("*")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*");
    re = new RegExp(`^${body}$`, "iu");
  } else {
    const needle = pattern.toLowerCase();
    return (suite, name) =>
      `${suite}/${name}`.toLowerCase().includes(needle) || name.toLowerCase().includes(needle);
  }
  return (suite, name) => re.test(`${suite}/${name}`) || re.test(name);
}
