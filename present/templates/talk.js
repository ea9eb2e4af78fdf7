// Keyboard navigation for the deck: one slide shown at a time, its number in the URL.
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var counter = document.getElementById("counter");
  var where = document.getElementById("where");
  var current = -1;

  function show(index) {
    index = Math.max(0, Math.min(slides.length - 1, index));
    if (index === current) return;
    if (current >= 0) slides[current].classList.remove("current");
    current = index;
    var slide = slides[current];
    slide.classList.add("current");
    slide.scrollTop = 0;
    counter.textContent = (current + 1) + " / " + slides.length;
    var rule = slide.getAttribute("data-rule") || slide.getAttribute("data-group") || "";
    where.textContent = rule;
    document.body.setAttribute("data-slide", String(current + 1));
    history.replaceState(null, "", "#" + (current + 1));
  }

  function fromHash() {
    var n = parseInt(location.hash.slice(1), 10);
    return isNaN(n) ? 0 : n - 1;
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    switch (e.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case " ": case "Enter": case "j": case "l":
        show(current + 1); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace": case "k": case "h":
        show(current - 1); break;
      case "Home": show(0); break;
      case "End": show(slides.length - 1); break;
      case "n": document.body.classList.toggle("show-notes"); break;
      default: return;
    }
    e.preventDefault();
  });
  window.addEventListener("hashchange", function () { show(fromHash()); });
  show(fromHash());
})();
