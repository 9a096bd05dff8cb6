// Progressive touch for the printable pages: a Print button (the browser menu works too).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
