// «Получат: N» follows the chosen recipients and initiative (the numbers came with the page).
(function () {
  var form = document.getElementById("broadcast-form");
  var note = document.getElementById("broadcast-reach");
  if (!form || !note) return;
  var counts = JSON.parse(note.dataset.counts);
  function update() {
    var checked = form.querySelector("input[name=audience]:checked");
    var audience = checked ? checked.value : "all";
    var reach = null;
    if (audience === "all") {
      reach = counts.all;
    } else {
      var numbers = counts.initiatives[form.elements.initiative.value];
      if (numbers) reach = numbers[audience];
    }
    note.textContent = "";
    if (reach === null || reach === undefined) {
      note.textContent = note.dataset.choose;
    } else {
      var strong = document.createElement("strong");
      strong.textContent = String(reach);
      note.append(note.dataset.label + " ", strong);
    }
  }
  form.addEventListener("change", update);
})();
