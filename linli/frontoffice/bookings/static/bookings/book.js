// The booking form keeps the resource's usual duration: moving the start moves the end with
// it, until the person sets the end themselves (a form sent back with errors keeps what they
// entered: it carries no usual duration). Without script the server's prefill stands.
const form = document.querySelector("#booking-form[data-usual-minutes]");

function minutes(value) {
  const [h, m] = value.split(":").map(Number);
  return Number.isInteger(h) && Number.isInteger(m) ? h * 60 + m : null;
}

function clock(total) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

if (form) {
  const usual = Number(form.dataset.usualMinutes);
  const start = form.querySelector("#id_start_time");
  const end = form.querySelector("#id_end_time");
  let endTouched = false;
  if (start && end && usual > 0) {
    end.addEventListener("input", () => {
      endTouched = true;
    });
    start.addEventListener("change", () => {
      const from = minutes(start.value);
      if (endTouched || from === null || from + usual >= 24 * 60) return;
      end.value = clock(from + usual);
    });
  }
}
