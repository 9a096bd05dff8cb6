// Progressive: drag across the receipt photo to mark several blur squares at once.
// Without JavaScript each square is a checkbox the leader taps.
(function () {
  var grid = document.querySelector("[data-blur-grid]");
  if (!grid) return;
  var cells = Array.prototype.slice.call(grid.querySelectorAll(".blur-input"));
  var start = null, moved = false, target = true;
  function cellAt(event) {
    var el = document.elementFromPoint(event.clientX, event.clientY);
    if (!el || !el.classList.contains("blur-cell")) return null;
    var parts = el.getAttribute("for").replace("cell-", "").split("-");
    return { row: +parts[0], col: +parts[1] };
  }
  function paint(end) {
    var r0 = Math.min(start.row, end.row), r1 = Math.max(start.row, end.row);
    var c0 = Math.min(start.col, end.col), c1 = Math.max(start.col, end.col);
    cells.forEach(function (input) {
      var p = input.value.split("-"), r = +p[0], c = +p[1];
      if (r >= r0 && r <= r1 && c >= c0 && c <= c1) input.checked = target;
    });
  }
  grid.addEventListener("pointerdown", function (event) {
    start = cellAt(event);
    moved = false;
    if (start) {
      var input = document.getElementById("cell-" + start.row + "-" + start.col);
      target = !input.checked;
    }
  });
  grid.addEventListener("pointermove", function (event) {
    if (!start || event.buttons === 0) return;
    var here = cellAt(event);
    if (here && (here.row !== start.row || here.col !== start.col)) { moved = true; paint(here); }
  });
  grid.addEventListener("click", function (event) {
    if (moved) { event.preventDefault(); moved = false; }
  });
  document.addEventListener("pointerup", function () { start = null; });
})();
