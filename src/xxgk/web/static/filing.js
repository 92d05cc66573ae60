/* The filing form: a block of cells pasted from a spreadsheet into a cell goes to the
   form's own "paste" action (the server fills the grid from that cell), so pasting works
   the same with or without this script. A single value pastes as usual. */
document.addEventListener("paste", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input.cell")) return;
  var text = (event.clipboardData || window.clipboardData).getData("text");
  if (!/[\t\n]/.test(text.replace(/\s+$/, ""))) return;
  var table = input.closest("table[data-table]").getAttribute("data-table");
  var form = input.form;
  event.preventDefault();
  form.querySelector('[name="paste:' + table + '"]').value = text;
  form.querySelector('[name="paste_start:' + table + '"]').value = input.name.slice(5);
  form.querySelector('button[value="paste:' + table + '"]').click();
});
