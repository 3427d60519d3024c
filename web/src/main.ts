// Wiring: Vue, Element Plus (zh-CN), the stores, the router, and what
// happens when a call finds the session ended.
import { createApp } from "vue";
import { createPinia } from "pinia";
import ElementPlus from "element-plus";
import zhCn from "element-plus/es/locale/lang/zh-cn";
import "element-plus/dist/index.css";
import "./style.css";
import App from "./App.vue";
import { router } from "./router";
import { onSessionEnded } from "./api/session-events";
import { useSession } from "./stores/session";
import { useInbox } from "./stores/inbox";

const app = createApp(App);
app.use(createPinia());
app.use(ElementPlus, { locale: zhCn });
app.use(router);

onSessionEnded(() => {
  useSession().forget();
  useInbox().stop();
  const here = router.currentRoute.value;
  if (!here.meta.public)
    void router.replace({
      path: "/login",
      query: { next: here.fullPath, expired: "1" },
    });
});

app.mount("#app");
