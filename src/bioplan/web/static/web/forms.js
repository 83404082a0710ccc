/*
 * Record forms: every <select data-bp-searchable> becomes a type-to-search box (Tom Select,
 * static/vendor/tom-select), on page load and after every htmx swap. Without JavaScript the plain
 * drop-down still works.
 */
(function () {
  "use strict";

  function enhance(root) {
    if (!window.TomSelect) {
      return;
    }
    (root || document).querySelectorAll("select[data-bp-searchable]").forEach(function (select) {
      if (select.tomselect) {
        return;
      }
      var lang = document.documentElement.lang || "";
      new window.TomSelect(select, {
        maxOptions: 500,
        allowEmptyOption: true,
        placeholder: lang.indexOf("zh") === 0 ? "输入名称搜索" : "Type to search",
        render: {
          no_results: function () {
            return '<div class="no-results">' + (lang.indexOf("zh") === 0 ? "没有匹配项" : "No match") + "</div>";
          },
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhance(event.target);
  });
})();
