// Lay out the DOT text on stdin with Graphviz (its WebAssembly build, @hpcc-js/wasm-graphviz,
// pinned in package.json) and print SVG. Graphviz's error message and exit 1 on bad DOT.
import { readFileSync } from "node:fs";
import { Graphviz } from "@hpcc-js/wasm-graphviz";

try {
  const graphviz = await Graphviz.load();
  process.stdout.write(graphviz.layout(readFileSync(0, "utf8"), "svg", "dot"));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
