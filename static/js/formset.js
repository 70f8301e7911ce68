// Adds a blank row to a Django formset from its <template>, keeping the management form in step.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-add-row]");
  if (!button) return;
  var prefix = button.getAttribute("data-add-row");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = document.getElementById("author-template");
  var rows = document.querySelector('[data-formset="' + prefix + '"]');
  var index = parseInt(total.value, 10);
  var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__n__/g, String(index + 1));
  rows.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  var firstInput = rows.lastElementChild.querySelector("input");
  if (firstInput) firstInput.focus();
});
