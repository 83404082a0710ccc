/* The plan review page: "原文" on an item scrolls the text panel to its quote and marks it. */
(function () {
  function show(anchor) {
    var panel = document.getElementById("bp-source");
    if (!panel) return;
    panel.querySelectorAll("mark.bp-active").forEach(function (m) { m.classList.remove("bp-active"); });
    panel.querySelectorAll('mark[data-items~="' + anchor + '"]').forEach(function (m) { m.classList.add("bp-active"); });
    var start = document.getElementById(anchor);
    if (start) panel.scrollTop = start.offsetTop - panel.offsetTop - 40;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-bp-quote]");
    if (!link) return;
    event.preventDefault();
    show(link.getAttribute("data-bp-quote"));
  });
})();
