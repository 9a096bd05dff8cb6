// Progressive touches only; every page works without this file.
document.documentElement.classList.add("has-js");
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-target]");
  if (!button) return;
  var source = document.getElementById(button.getAttribute("data-copy-target"));
  if (!source) return;
  source.select();
  var done = function () { button.textContent = button.getAttribute("data-copied-label"); };
  if (navigator.clipboard) {
    navigator.clipboard.writeText(source.value).then(done, function () { document.execCommand("copy"); done(); });
  } else {
    document.execCommand("copy");
    done();
  }
});
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});
// Chrome does not scroll a focused control that is partly on screen, even when the fixed
// bottom bar covers it: bring it above the bar.
document.addEventListener("focusin", function (event) {
  var bar = document.querySelector(".bottom-nav");
  if (!bar || bar.contains(event.target)) return;
  var box = event.target.getBoundingClientRect();
  if (box.bottom > bar.getBoundingClientRect().top && box.top < window.innerHeight) {
    event.target.scrollIntoView({ block: "center", behavior: "instant" });
  }
});
