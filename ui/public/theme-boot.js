// Runs before the first paint (a blocking script in index.html), so a dark window never
// flashes white. The same key and rule as src/lib/theme.svelte.ts, which takes over after.
(function () {
  var choice = null;
  try {
    choice = localStorage.getItem("envdeck.theme");
  } catch (e) {}
  var dark = choice === "dark" || (choice !== "light" && window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
})();
