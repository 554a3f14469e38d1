package io.netwatch.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in Debian's headless Chromium (driven by Selenium through Debian's chromedriver; nothing is
 * downloaded): a capture replayed while the page is open shows up live, an alert is acknowledged by clicking, and
 * each main view is saved as a screenshot under target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(GatewayTestResource.class)
class DashboardBrowserTest {
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static ChromeDriver browser;

    @BeforeAll
    static void openBrowser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1600,1000", "--user-data-dir=" + Files.createTempDirectory("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static void click(WebDriverWait wait, By by) {
        wait.until(d -> {
            try {
                d.findElement(by).click();
                return true;
            } catch (StaleElementReferenceException | NoSuchElementException e) {
                return false;
            }
        });
    }

    @Test
    void aReplayShowsUpLiveAndAnAlertIsAcknowledgedByClicking() throws Exception {
        Pipeline.start();
        Pipeline.awaitFeedsAssigned();
        Pipeline.announceProbe();
        browser.get("http://127.0.0.1:" + RestAssured.port + "/#token=test-operator");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(d -> d.findElement(By.id("conn")).getAttribute("class").contains("on"));

        // A replay while the page is open: the flow topology's per-second metrics reach the page over /ws/metrics.
        Pipeline.replay(Pipeline.SCAN);
        Pipeline.replay(Pipeline.WEB);
        wait.until(d -> !List.of("–", "0").contains(d.findElement(By.id("k-pps")).getText()));
        Number pps = Long.parseLong(browser.findElement(By.id("k-pps")).getText().replace(",", ""));
        assertTrue(pps.longValue() > 0);
        wait.until(d -> (Long) ((ChromeDriver) d).executeScript(
                "return state.charts.bandwidth.data.labels.length") > 0);
        Thread.sleep(1000);
        shot("live");

        browser.findElement(By.cssSelector("nav button[data-view=alerts]")).click();
        // the alert list and its detail are re-rendered as the scan's alert gets new hits over /ws/alerts, so an
        // element found a moment ago may be gone: each click finds its element again until one lands
        click(wait, By.xpath("//table[@id='t-alerts']//tr[td[2][text()='port_scan']]"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-detail"), Pipeline.SCANNER));
        boolean alreadyAcked = !browser.findElements(By.id("unack")).isEmpty();
        if (alreadyAcked) {
            click(wait, By.id("unack"));
        }
        wait.until(ExpectedConditions.elementToBeClickable(By.id("ack-note")));
        shot("alert-detail");
        // one step in the page: a note is typed, the detail is drawn again as a new hit would draw it (the note
        // must survive that), and the click lands while the list is being fetched again, as after a view switch or
        // a dropped message: whichever answer comes back first, the page must end acknowledged
        ((ChromeDriver) browser).executeScript("document.getElementById('ack-note').value = arguments[0];"
                + "selectAlert(state.selectedAlert);"
                + "loadAlerts().catch(() => {}); document.getElementById('ack').click();", "seen in the browser test");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alert-detail"), "Acknowledged by olga"));
        wait.until(d -> (Long) ((ChromeDriver) d).executeScript("return state.alertLoadsOpen") == 0);
        Thread.sleep(500);
        assertTrue(browser.findElement(By.id("alert-detail")).getText().contains("Acknowledged by olga"),
                "a list fetched before the acknowledgement did not bring the old state back");
        String id = GatewayPipelineTest.viewer().get("/api/alerts?rule=port_scan").jsonPath()
                .getString("items[0].alert_id");
        Map<String, Object> stored = GatewayPipelineTest.viewer().get("/api/alerts/" + id).jsonPath().getMap("$");
        assertEquals(true, stored.get("acknowledged"), "the click acknowledged the alert in PostgreSQL");
        assertEquals("seen in the browser test", ((Map<?, ?>) stored.get("ack")).get("note"));
        shot("alerts");

        browser.findElement(By.cssSelector("nav button[data-view=flows]")).click();
        browser.findElement(By.id("f-ip")).sendKeys(Pipeline.TARGET);
        browser.findElement(By.id("f-search")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("f-page"), "1,001 flows"));
        shot("flows");

        browser.findElement(By.cssSelector("nav button[data-view=packets]")).click();
        WebElement packet = wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#t-packets tbody tr")));
        packet.click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("packet-detail"), "Frame"));
        shot("packets");

        browser.findElement(By.cssSelector("nav button[data-view=map]")).click();
        wait.until(d -> (Long) ((ChromeDriver) d).executeScript(
                "return document.querySelectorAll('#map path.leaflet-interactive').length") > 100);
        Thread.sleep(500);
        shot("map-and-graph");

        browser.findElement(By.cssSelector("nav button[data-view=capture]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("t-probes"), "probe-a"));
        shot("capture");
        assertNotEquals(0, Files.list(SHOTS).count());
        assertTrue(browser.findElement(By.id("banner")).getAttribute("hidden") != null,
                "no error banner: " + browser.findElement(By.id("banner")).getText());
    }

    private static void shot(String name) throws Exception {
        File f = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
