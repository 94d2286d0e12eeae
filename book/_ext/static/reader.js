/* The sidebar buttons of the page header.
 *
 * sphinx-book-theme and pydata-sphinx-theme each listen to the first ".primary-toggle" (and
 * ".secondary-toggle") of the page only: the theme's hidden navbar icon, not the button the
 * reader sees in the article header. Each other such button passes its click on to that one,
 * so the navigation opens on a phone (as a dialog) and hides or shows on a desktop. */
document.addEventListener("DOMContentLoaded", () => {
  for (const kind of ["primary-toggle", "secondary-toggle"]) {
    const listened = document.querySelector("." + kind);
    if (!listened) continue;
    for (const button of document.querySelectorAll("." + kind)) {
      if (button === listened) continue;
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        listened.click();
      });
    }
  }
});

/* The page contents on the right follow the reading position (Bootstrap's scrollspy, which the
 * theme ships but does not switch on for this layout). */
window.addEventListener("load", () => {
  const contents = document.querySelector("#pst-page-toc-nav");
  if (window.bootstrap && contents && !document.body.dataset.bsSpy) {
    new window.bootstrap.ScrollSpy(document.body, { target: "#pst-page-toc-nav", rootMargin: "0px 0px -60%" });
  }
});
