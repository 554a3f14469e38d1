package io.netwatch.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A PNG of one benchmark phase: throughput per second (top) and consumer lag (bottom) over time, or any two
 * panels of lines over the same seconds (memory). Drawn with Java2D, headless, so the bench needs nothing beyond
 * the JDK to make its figures.
 */
final class PipelinePlot {
    /** One line: its label, colour and the values, one per second from the phase's start. */
    record Series(String label, Color colour, double[] t, double[] y) {
    }

    private static final int W = 1100;
    private static final int PANEL_H = 330;
    private static final int LEFT = 90;
    private static final int RIGHT = 230;
    private static final int TOP = 40;

    private PipelinePlot() {
    }

    static void write(Path file, String title, List<Series> rates, List<Series> lags) throws IOException {
        write(file, title, "packets/s (committed by each consumer; published by the probe)", rates,
                "lag (records behind the end of its input topic)", lags);
    }

    /** Two panels over one time axis, each with its own label and lines. */
    static void write(Path file, String title, String topLabel, List<Series> top, String bottomLabel,
                      List<Series> bottom) throws IOException {
        List<Series> rates = top;
        List<Series> lags = bottom;
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, TOP + 2 * PANEL_H + 50, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 24);
        double tMax = 1;
        for (List<Series> group : List.of(rates, lags)) {
            for (Series s : group) {
                for (double t : s.t()) {
                    tMax = Math.max(tMax, t);
                }
            }
        }
        panel(g, TOP, topLabel, rates, tMax);
        panel(g, TOP + PANEL_H + 10, bottomLabel, lags, tMax);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.DARK_GRAY);
        g.drawString("seconds since the replay started", LEFT + (W - LEFT - RIGHT) / 2 - 90, img.getHeight() - 12);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    private static void panel(Graphics2D g, int y0, String label, List<Series> series, double tMax) {
        int h = PANEL_H - 40;
        int x0 = LEFT;
        int w = W - LEFT - RIGHT;
        double yMax = 1;
        for (Series s : series) {
            for (double v : s.y()) {
                yMax = Math.max(yMax, v);
            }
        }
        yMax = niceCeiling(yMax);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(235, 235, 235));
        for (int i = 0; i <= 5; i++) {
            int y = y0 + 20 + h - h * i / 5;
            g.drawLine(x0, y, x0 + w, y);
        }
        g.setColor(Color.BLACK);
        g.drawString(label, x0, y0 + 12);
        g.drawRect(x0, y0 + 20, w, h);
        for (int i = 0; i <= 5; i++) {
            int y = y0 + 20 + h - h * i / 5;
            String tick = String.format(Locale.ROOT, "%,.0f", yMax * i / 5);
            g.drawString(tick, x0 - 8 - g.getFontMetrics().stringWidth(tick), y + 4);
        }
        for (int i = 0; i <= 10; i++) {
            int x = x0 + w * i / 10;
            String tick = String.format(Locale.ROOT, "%.0f", tMax * i / 10);
            g.drawString(tick, x - g.getFontMetrics().stringWidth(tick) / 2, y0 + 20 + h + 15);
        }
        int legendY = y0 + 40;
        g.setStroke(new BasicStroke(2f));
        for (Series s : series) {
            g.setColor(s.colour());
            int px = -1;
            int py = -1;
            for (int i = 0; i < s.t().length; i++) {
                int x = x0 + (int) Math.round(w * s.t()[i] / tMax);
                int y = y0 + 20 + h - (int) Math.round(h * Math.min(s.y()[i], yMax) / yMax);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(x0 + w + 15, legendY - 8, 18, 8);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), x0 + w + 40, legendY);
            legendY += 20;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static double niceCeiling(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
