//! Loading the datasets shipped in `data/` (see `data/README.md`), shared by the examples and
//! by `tests/pca.rs`, and writing the examples' output files. Not part of the library.
#![allow(dead_code)] // each example uses a different subset

use std::error::Error;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::read::GzDecoder;
use ndarray::Array2;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, IntoDrawingArea, SVGBackend};

/// The drawing area an SVG plot is drawn on, see [`write_svg`].
pub type Svg<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// A failure to create or write an output file. Its `Debug` is its message, so that a `main`
/// returning this error prints `Error: could not write plot out/x.svg: <cause>`.
pub struct OutputError {
    /// What failed, e.g. `could not write plot out/x.svg`.
    action: String,
    source: Box<dyn Error>,
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.action, self.source)
    }
}

impl fmt::Debug for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Error for OutputError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
    }
}

/// The output directory: the first command-line argument, `.` without one. Created, with any
/// missing parents, if it does not exist.
pub fn output_dir() -> Result<PathBuf, OutputError> {
    let dir = PathBuf::from(std::env::args_os().nth(1).unwrap_or_else(|| ".".into()));
    std::fs::create_dir_all(&dir).map_err(|e| OutputError {
        action: format!("could not create output directory {}", dir.display()),
        source: e.into(),
    })?;
    Ok(dir)
}

/// The output directory: the first command-line argument, `default` without one. Created, with
/// any missing parents, if it does not exist (as [`output_dir`], which defaults to `.`).
pub fn output_dir_or(default: &Path) -> Result<PathBuf, OutputError> {
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| default.to_path_buf(), PathBuf::from);
    std::fs::create_dir_all(&dir).map_err(|e| OutputError {
        action: format!("could not create output directory {}", dir.display()),
        source: e.into(),
    })?;
    Ok(dir)
}

/// Writes what `render` returns to `path`. Any error, rendering or writing, names the file:
/// `could not write <what> <path>: <cause>`.
pub fn write_output<C: AsRef<[u8]>>(
    what: &str,
    path: &Path,
    render: impl FnOnce() -> Result<C, Box<dyn Error>>,
) -> Result<(), OutputError> {
    render()
        .and_then(|contents| Ok(std::fs::write(path, contents)?))
        .map_err(|source| OutputError {
            action: format!("could not write {what} {}", path.display()),
            source,
        })
}

/// Draws a `width × height` SVG plot with `draw` and writes it to `path`, as [`write_output`].
pub fn write_svg(
    path: &Path,
    (width, height): (u32, u32),
    draw: impl FnOnce(&Svg<'_>) -> Result<(), Box<dyn Error>>,
) -> Result<(), OutputError> {
    write_output("plot", path, || {
        let mut svg = String::new();
        {
            // Drawn in memory, so that the only I/O error is `write_output`'s, with the path.
            let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
            draw(&root)?;
            root.present()?;
        }
        Ok(svg)
    })
}

/// A labelled dataset: one sample per row of `x`, its class in `y`.
pub struct Dataset {
    /// Samples × features.
    pub x: Array2<f64>,
    /// Class of each sample, `0..class_names.len()`.
    pub y: Vec<usize>,
    /// Name of each class.
    pub class_names: Vec<String>,
}

/// `data/<name>` in the crate's source tree.
pub fn data_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// Fisher's Iris: 150 samples × 4 features (sepal length, sepal width, petal length, petal
/// width, in cm), 3 classes. `data/iris.csv`: a header line `150,4,setosa,versicolor,virginica`
/// (rows, features, class names), then one sample per line with its class index last.
pub fn load_iris() -> Result<Dataset, Box<dyn Error>> {
    let file = File::open(data_path("iris.csv"))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file);
    let mut records = reader.records();
    let header = records.next().ok_or("iris.csv: empty file")??;
    let rows: usize = header.get(0).ok_or("iris.csv: no row count")?.parse()?;
    let features: usize = header.get(1).ok_or("iris.csv: no feature count")?.parse()?;
    let class_names = header.iter().skip(2).map(str::to_owned).collect();
    let (values, y) = parse_rows(records, features, "iris.csv")?;
    finish(values, y, rows, features, class_names, "iris.csv")
}

/// The handwritten Digits (UCI optical recognition test set): 1797 samples × 64 features (8×8
/// images, pixel values 0..=16), 10 classes. `data/digits.csv.gz`: no header, one sample per
/// line with its class index last.
pub fn load_digits() -> Result<Dataset, Box<dyn Error>> {
    let mut text = String::new();
    GzDecoder::new(File::open(data_path("digits.csv.gz"))?).read_to_string(&mut text)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let (values, y) = parse_rows(reader.records(), 64, "digits.csv.gz")?;
    let class_names = (0..10).map(|d| d.to_string()).collect();
    finish(values, y, 1797, 64, class_names, "digits.csv.gz")
}

/// Reads `features` numbers and a class index from each record.
fn parse_rows<R: Read>(
    records: csv::StringRecordsIter<'_, R>,
    features: usize,
    file: &str,
) -> Result<(Vec<f64>, Vec<usize>), Box<dyn Error>> {
    let (mut values, mut y) = (Vec::new(), Vec::new());
    for record in records {
        let record = record?;
        if record.len() != features + 1 {
            return Err(format!(
                "{file}: expected {} fields, got {}",
                features + 1,
                record.len()
            )
            .into());
        }
        for field in record.iter().take(features) {
            values.push(field.trim().parse::<f64>()?);
        }
        let label: f64 = record[features].trim().parse()?;
        y.push(label as usize);
    }
    Ok((values, y))
}

fn finish(
    values: Vec<f64>,
    y: Vec<usize>,
    rows: usize,
    features: usize,
    class_names: Vec<String>,
    file: &str,
) -> Result<Dataset, Box<dyn Error>> {
    if y.len() != rows {
        return Err(format!("{file}: expected {rows} samples, got {}", y.len()).into());
    }
    if let Some(bad) = y.iter().find(|&&c| c >= class_names.len()) {
        return Err(format!("{file}: class {bad} out of range").into());
    }
    let x = Array2::from_shape_vec((rows, features), values)?;
    Ok(Dataset { x, y, class_names })
}
