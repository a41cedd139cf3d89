// After htmx recalculates the Quick-Check, move the focus to the error summary or the result,
// so that keyboard and screen-reader users land on what changed (and the page scrolls there).
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail && event.detail.target;
  if (!target || target.id !== "quickcheck") {
    return;
  }
  var focus = target.querySelector("[data-focus-after-swap]");
  if (focus) {
    focus.focus();
  }
});
