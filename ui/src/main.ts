import { mount } from "svelte";
// Bundled fonts, so the window looks the same on every machine: only the weights app.css
// uses (400 text, 500 buttons, 600 headings; 550 and 700 resolve to 600), Latin only.
import "@fontsource/inter/latin-400.css";
import "@fontsource/inter/latin-500.css";
import "@fontsource/inter/latin-600.css";
import "@fontsource/inter/latin-ext-400.css";
import "@fontsource/inter/latin-ext-500.css";
import "@fontsource/inter/latin-ext-600.css";
import "@fontsource/jetbrains-mono/latin-400.css";
import "@fontsource/jetbrains-mono/latin-500.css";
import "./app.css";
import App from "./App.svelte";
import { outsideApp } from "./lib/backend";
import OutsideApp from "./lib/components/OutsideApp.svelte";
import { theme } from "./lib/theme.svelte";

const target = document.getElementById("app")!;

// public/theme-boot.js already set it before the first paint; this also follows the system.
theme.apply();

// The built window has nothing to talk to outside the app: say so instead of a blank page.
export default outsideApp ? mount(OutsideApp, { target }) : mount(App, { target });
