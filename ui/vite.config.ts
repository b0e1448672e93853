import { defineConfig } from "vitest/config";

// The desktop shell embeds `dist/` (see tauri.conf.json); there is no dev
// server in the product.
export default defineConfig({
  clearScreen: false,
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
