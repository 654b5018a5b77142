import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { defineConfig } from "vitest/config";

// Tauri loads the built files from disk, so asset URLs must be relative.
// The dev server port is fixed because tauri.conf.json's `devUrl` points at it.
export default defineConfig(({ mode }) => ({
  base: "./",
  plugins: [svelte(), ...(mode === "test" ? [svelteTesting()] : [])],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  build: { outDir: "dist", emptyOutDir: true },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.ts"],
    setupFiles: ["./src/test-setup.ts"],
  },
}));
