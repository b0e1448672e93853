import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

const PDFJS = fileURLToPath(new URL("./node_modules/pdfjs-dist/", import.meta.url));

/** The pdf.js data files the PDF viewer loads at run time, by folder: which files to ship. */
const PDFJS_DIRS: Record<string, (file: string) => boolean> = {
  cmaps: () => true,
  standard_fonts: () => true,
  // Only the JavaScript decoders: WebAssembly is off (see src/pdf/pdfjs.ts).
  wasm: (f) => f.endsWith("_nowasm_fallback.js") || f.startsWith("LICENSE"),
};

/**
 * Ships pdf.js's character maps, standard fonts and JavaScript image
 * decoders as `dist/pdfjs/<folder>/<file>`, and serves them from
 * node_modules in the dev server, so that the viewer fetches them from the
 * app itself.
 */
export function pdfjsAssets(root = PDFJS): Plugin {
  const files = () =>
    Object.entries(PDFJS_DIRS).flatMap(([dir, keep]) =>
      readdirSync(join(root, dir))
        .filter(keep)
        .map((f) => `${dir}/${f}`),
    );
  return {
    name: "lectern-pdfjs-assets",
    configureServer(server) {
      const shipped = new Set(files());
      server.middlewares.use("/pdfjs/", (req, res, next) => {
        const path = decodeURIComponent((req.url ?? "").split("?")[0]).replace(/^\//, "");
        if (!shipped.has(path) || !existsSync(join(root, path))) return next();
        res.setHeader("Content-Type", path.endsWith(".js") ? "text/javascript" : "application/octet-stream");
        res.end(readFileSync(join(root, path)));
      });
    },
    generateBundle() {
      for (const f of files()) this.emitFile({ type: "asset", fileName: `pdfjs/${f}`, source: readFileSync(join(root, f)) });
    },
  };
}

// The desktop shell embeds `dist/` (see tauri.conf.json); there is no dev
// server in the product.
export default defineConfig({
  clearScreen: false,
  plugins: [pdfjsAssets()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2021",
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: "jsdom",
    globals: true,
  },
});
