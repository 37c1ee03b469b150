// Manage chapters: drag a chapter to its new place, or move it with its Move up / Move down
// buttons (keyboard and screen readers), and the position numbers follow. The form is the same
// without JavaScript: the numbers are typed, and the server sorts the chapters by them.
(function () {
  "use strict";

  function setUp(list) {
    var status = list.closest("form").querySelector("[data-reorder-status]");
    var dragged = null;

    function rows() {
      return Array.prototype.slice.call(list.querySelectorAll(".chapter-row"));
    }

    function name(row) {
      return row.querySelector(".chapter-name").textContent;
    }

    function renumber() {
      var all = rows();
      all.forEach(function (row, index) {
        row.querySelector("input.position").value = String(index + 1);
        row.querySelector("[data-move='up']").disabled = index === 0;
        row.querySelector("[data-move='down']").disabled = index === all.length - 1;
      });
    }

    function announce(row) {
      status.textContent = name(row) + " is now at position " + (rows().indexOf(row) + 1) + " of " + rows().length + ".";
    }

    function move(row, step) {
      var sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
      if (!sibling) { return; }
      list.insertBefore(row, step < 0 ? sibling : sibling.nextElementSibling);
      renumber();
      announce(row);
    }

    rows().forEach(function (row) {
      row.draggable = true;
      row.classList.add("draggable");
      var buttons = document.createElement("span");
      buttons.className = "move-buttons";
      [["up", "Move up"], ["down", "Move down"]].forEach(function (pair) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.setAttribute("data-move", pair[0]);
        button.textContent = pair[1];
        button.setAttribute("aria-label", pair[1] + ": " + name(row));
        button.addEventListener("click", function () {
          move(row, pair[0] === "up" ? -1 : 1);
          // Keep focus on the button that moved, unless it is now disabled at an end.
          button.focus();
          if (button.disabled) { row.querySelector("[data-move='" + (pair[0] === "up" ? "down" : "up") + "']").focus(); }
        });
        buttons.appendChild(button);
      });
      row.appendChild(buttons);

      row.addEventListener("dragstart", function (event) {
        dragged = row;
        row.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.getAttribute("data-chapter"));
      });
      row.addEventListener("dragend", function () {
        row.classList.remove("dragging");
        dragged = null;
      });
      row.addEventListener("dragover", function (event) {
        if (!dragged || dragged === row) { return; }
        event.preventDefault();
        var box = row.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? row.nextElementSibling : row);
      });
      row.addEventListener("drop", function (event) {
        if (!dragged) { return; }
        event.preventDefault();
        renumber();
        announce(dragged);
      });
    });
    renumber();
  }

  document.querySelectorAll("ol[data-reorder]").forEach(setUp);
})();
