// Beside every amount field of the admin (千元): how the amount reads, 億元 or 萬元, as the
// editor types. The same rule as amount_reading() in plan/reading/formatting.py.
(function () {
  "use strict";
  var PER_YI = 100000;
  var PER_WAN = 10;

  function grouped(text) {
    var parts = text.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return parts.join(".");
  }

  function reading(thousands) {
    var exact;
    var places;
    var unit;
    if (thousands >= PER_YI) {
      exact = thousands / PER_YI;
      places = 1;
      unit = " 億元";
    } else {
      exact = thousands / PER_WAN;
      places = exact >= 100 ? 0 : 1;
      unit = " 萬元";
    }
    var rounded = exact.toFixed(places);
    var shown = rounded.replace(/\.0$/, "");
    var about = Number(rounded) === exact ? "" : "約 ";
    return about + grouped(shown) + unit;
  }

  function update(input, output) {
    var digits = input.value.replace(/[,，、\s_]/g, "");
    if (digits === "") {
      output.textContent = "";
    } else if (/^\d+$/.test(digits)) {
      output.textContent = "＝ " + reading(Number(digits)) + "（單位：千元）";
    } else {
      output.textContent = "請只輸入數字（可含逗號）";
    }
  }

  function start() {
    document.querySelectorAll("input.amount-input").forEach(attach);
  }

  function attach(input) {
    var output = document.createElement("output");
    output.className = "amount-reading";
    output.setAttribute("for", input.id);
    output.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", output);
    input.addEventListener("input", function () {
      update(input, output);
    });
    update(input, output);
  }

  // The admin puts its scripts in <head>: wait for the form.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
