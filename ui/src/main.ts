import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { outsideApp } from "./lib/backend";
import OutsideApp from "./lib/components/OutsideApp.svelte";

const target = document.getElementById("app")!;

// The built window has nothing to talk to outside the app: say so instead of a blank page.
export default outsideApp ? mount(OutsideApp, { target }) : mount(App, { target });
