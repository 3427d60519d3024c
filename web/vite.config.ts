/// <reference types="vitest/config" />
// Vite builds the console into dist/, which uplift-web serves (--console-dir).
// `npm run dev` proxies the suite's RPCs to a running uplift-web.
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";
import { fileURLToPath, URL } from "node:url";

const backend = process.env.UPLIFT_WEB_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: {
    target: "es2022",
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (
            id.includes("node_modules/echarts") ||
            id.includes("node_modules/zrender")
          ) {
            return "echarts";
          }
          if (
            id.includes("node_modules/element-plus") ||
            id.includes("node_modules/@element-plus")
          ) {
            return "element-plus";
          }
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: { "^/uplift\\.": { target: backend, changeOrigin: false } },
  },
  test: { environment: "jsdom", include: ["tests/**/*.test.ts"] },
});
